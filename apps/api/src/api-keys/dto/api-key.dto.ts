import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AdminRole } from '@wharf/contracts';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsEnum,
  IsOptional,
  IsString,
  MaxLength,
  MinDate,
  MinLength,
} from 'class-validator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'ci-provisioning', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({
    enum: AdminRole,
    example: AdminRole.Admin,
    description: 'At most the creator’s role',
  })
  @IsEnum(AdminRole)
  role!: AdminRole;

  @ApiPropertyOptional({
    example: '2027-01-01T00:00:00.000Z',
    description: 'Never expires when absent',
    type: Date,
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @MinDate(() => new Date(), { message: 'expiresAt must be in the future' })
  expiresAt?: Date;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid', example: '0193a5b0-7f1e-7c3a-9d2e-1a2b3c4d5e6f' })
  id!: string;

  @ApiProperty({ example: 'ci-provisioning' })
  name!: string;

  @ApiProperty({ example: '3f9a1c2b7d', description: 'Shown in the key as wharf_<prefix>_…' })
  prefix!: string;

  @ApiProperty({ enum: AdminRole, example: AdminRole.Admin })
  role!: AdminRole;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  createdById!: string | null;

  @ApiProperty({ example: 'admin' })
  createdByUsername!: string;

  @ApiProperty({ nullable: true, type: Date })
  lastUsedAt!: Date | null;

  @ApiProperty({ nullable: true, type: Date })
  expiresAt!: Date | null;

  @ApiProperty({ nullable: true, type: Date })
  revokedAt!: Date | null;

  @ApiProperty({ example: '2026-11-25T12:00:00.000Z' })
  createdAt!: Date;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'wharf_3f9a1c2b7d_Yq8vQ0m1…',
    description: 'The secret: returned only in this response, never again',
  })
  key!: string;
}
