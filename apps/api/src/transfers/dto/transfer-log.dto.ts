import { ApiProperty } from '@nestjs/swagger';
import {
  type DownloadLink,
  TRANSFER_OPERATIONS,
  TRANSFER_OUTCOMES,
  type TransferLog,
  type TransferOperation,
  type TransferOutcome,
  type TransferStats,
} from '@wharf/contracts';

const nullableText = (example?: string) => ({ type: String, nullable: true, example });

export class TransferLogDto implements TransferLog {
  @ApiProperty({ format: 'uuid', description: 'UUIDv7 minted by the worker' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty(nullableText('worker-ftp-1'))
  workerId!: string | null;

  @ApiProperty({ ...nullableText(), format: 'uuid' })
  serverId!: string | null;

  @ApiProperty(nullableText())
  sessionId!: string | null;

  @ApiProperty({ ...nullableText(), format: 'uuid' })
  userId!: string | null;

  @ApiProperty(nullableText('alice'))
  username!: string | null;

  @ApiProperty(nullableText('203.0.113.7'))
  clientIp!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 50312 })
  clientPort!: number | null;

  @ApiProperty(nullableText('TLSv1.3'))
  tlsVersion!: string | null;

  @ApiProperty({ enum: TRANSFER_OPERATIONS, example: 'upload' })
  operation!: TransferOperation;

  @ApiProperty(nullableText('STOR'))
  command!: string | null;

  @ApiProperty(nullableText('/incoming/report.pdf'))
  path!: string | null;

  @ApiProperty(nullableText())
  targetPath!: string | null;

  @ApiProperty({ example: 1048576 })
  bytes!: number;

  @ApiProperty({ type: Number, nullable: true, example: 120 })
  durationMs!: number | null;

  @ApiProperty({ enum: TRANSFER_OUTCOMES, example: 'ok' })
  outcome!: TransferOutcome;

  @ApiProperty(nullableText())
  reason!: string | null;

  @ApiProperty({ ...nullableText(), description: 'Hex SHA-256 of uploaded content' })
  sha256!: string | null;
}

class StatsBucketDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'Bytes uploaded' }) bytesIn!: number;
  @ApiProperty({ description: 'Bytes downloaded' }) bytesOut!: number;
  @ApiProperty({ description: 'Uploads and downloads' }) transfers!: number;
}

class TopUserDto {
  @ApiProperty() username!: string;
  @ApiProperty() bytes!: number;
}

class FailedLoginsDto {
  @ApiProperty() clientIp!: string;
  @ApiProperty() count!: number;
}

class StatsTotalsDto {
  @ApiProperty() transfers!: number;
  @ApiProperty() bytesIn!: number;
  @ApiProperty() bytesOut!: number;
  @ApiProperty() failedLogins!: number;
  @ApiProperty({ description: 'Live now, whatever the range' }) activeSessions!: number;
  @ApiProperty() ftpUsers!: number;
}

export class TransferStatsDto implements TransferStats {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ enum: ['hour', 'day'] }) bucket!: 'hour' | 'day';
  @ApiProperty({ type: [StatsBucketDto] }) buckets!: StatsBucketDto[];
  @ApiProperty({ type: [TopUserDto] }) topUsers!: TopUserDto[];
  @ApiProperty({ type: [FailedLoginsDto] }) failedLoginsByIp!: FailedLoginsDto[];
  @ApiProperty({ type: StatsTotalsDto }) totals!: StatsTotalsDto;
}

export class DownloadLinkDto implements DownloadLink {
  @ApiProperty({
    example: '/api/v1/transfers/export.csv?operation=upload&token=eyJ…',
    description: 'Follow it (no Authorization header) to download; the token covers this query only',
  })
  url!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}
