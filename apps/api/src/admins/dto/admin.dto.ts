import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { AdminRole } from '@wharf/contracts';
import {
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

export const ADMIN_USERNAME_PATTERN = /^[a-zA-Z0-9._-]{3,64}$/;

export class CreateAdminDto {
  @ApiProperty({
    example: 'alice',
    pattern: ADMIN_USERNAME_PATTERN.source,
    description: 'Unique case-insensitively',
  })
  @IsString()
  @Matches(ADMIN_USERNAME_PATTERN, {
    message: 'username must be 3-64 characters of a-z A-Z 0-9 . _ -',
  })
  username!: string;

  @ApiProperty({
    example: 'a long passphrase',
    minLength: 12,
    maxLength: 1024,
    writeOnly: true,
    format: 'password',
  })
  @IsString()
  @MinLength(12)
  @MaxLength(1024)
  password!: string;

  @ApiProperty({ enum: AdminRole, example: AdminRole.Admin })
  @IsEnum(AdminRole)
  role!: AdminRole;

  @ApiPropertyOptional({ example: true, default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/**
 * Every field optional; PUT and PATCH both apply only the fields sent. A null
 * still meets the field's own rules (skipNullProperties false): a 400 for a
 * required one, not a 500 from a NOT NULL column.
 */
export class UpdateAdminDto extends PartialType(CreateAdminDto, { skipNullProperties: false }) {}

export class AdminDto {
  @ApiProperty({ format: 'uuid', example: '0193a5b0-7f1e-7c3a-9d2e-1a2b3c4d5e6f' })
  id!: string;

  @ApiProperty({ example: 'alice' })
  username!: string;

  @ApiProperty({ enum: AdminRole, example: AdminRole.Admin })
  role!: AdminRole;

  @ApiProperty({ example: true })
  enabled!: boolean;

  @ApiProperty({ nullable: true, type: Date, example: '2026-11-25T12:00:00.000Z' })
  lastLoginAt!: Date | null;

  @ApiProperty({ example: '2026-11-25T12:00:00.000Z' })
  createdAt!: Date;

  @ApiProperty({ example: '2026-11-25T12:00:00.000Z' })
  updatedAt!: Date;
}
