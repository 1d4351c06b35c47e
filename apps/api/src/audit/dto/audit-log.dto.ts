import { ApiProperty } from '@nestjs/swagger';
import { AdminRole } from '@wharf/contracts';

export class AuditChangesDto {
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    example: { quotaBytes: 1000, password: '[redacted]' },
  })
  before!: Record<string, unknown> | null;

  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    example: { quotaBytes: 2000, password: '[redacted]' },
  })
  after!: Record<string, unknown> | null;
}

export class AuditLogDto {
  @ApiProperty({ format: 'uuid', example: '0193a5b0-7f1e-7c3a-9d2e-1a2b3c4d5e6f' })
  id!: string;

  @ApiProperty({ enum: ['admin', 'api-key'], example: 'admin' })
  actorKind!: 'admin' | 'api-key';

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: '0193a5b0-7f1e-7c3a-9d2e-1a2b3c4d5e6f',
  })
  actorId!: string | null;

  @ApiProperty({ example: 'admin' })
  actorUsername!: string;

  @ApiProperty({ enum: AdminRole, example: AdminRole.Superadmin })
  actorRole!: AdminRole;

  @ApiProperty({ example: 'update', description: 'create, update, delete, or a domain verb' })
  action!: string;

  @ApiProperty({ example: 'ftp-user' })
  targetType!: string;

  @ApiProperty({ example: '0193a5b0-7f1e-7c3a-9d2e-1a2b3c4d5e6f' })
  targetId!: string;

  @ApiProperty({ type: AuditChangesDto })
  changes!: AuditChangesDto;

  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' })
  clientIp!: string | null;

  @ApiProperty({ example: '2026-11-25T12:00:00.000Z' })
  at!: Date;
}
