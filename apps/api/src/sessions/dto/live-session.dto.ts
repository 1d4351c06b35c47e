import { ApiProperty } from '@nestjs/swagger';
import type { LiveSession } from '@wharf/contracts';

class SessionTransferDto {
  @ApiProperty({ enum: ['upload', 'download'] }) direction!: 'upload' | 'download';
  @ApiProperty({ example: '/incoming/big.iso' }) path!: string;
  @ApiProperty({ description: 'Bytes moved so far' }) bytes!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
}

export class LiveSessionDto implements LiveSession {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'worker-ftp-1' }) workerId!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) serverId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) userId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'alice' }) username!: string | null;
  @ApiProperty({ example: '203.0.113.7' }) clientIp!: string;
  @ApiProperty({ example: 50312 }) clientPort!: number;
  @ApiProperty({ type: String, nullable: true, example: 'TLSv1.3' }) tls!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) loginAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'STOR' }) currentCommand!: string | null;
  @ApiProperty() bytesTransferred!: number;
  @ApiProperty({ type: SessionTransferDto, nullable: true }) transfer!: SessionTransferDto | null;
  @ApiProperty({
    format: 'date-time',
    description:
      'When the worker last reported a change of this session (command, bytes, transfer); an idle session keeps its time. Liveness is the worker heartbeat: sessions of a stale worker are not listed.',
  })
  updatedAt!: string;
}

export class KickAcceptedDto {
  @ApiProperty() sessionId!: string;
  @ApiProperty() workerId!: string;
  @ApiProperty({ example: 'kick-session' }) job!: string;
}
