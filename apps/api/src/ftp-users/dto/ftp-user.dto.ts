import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { ALL_FTP_PERMISSIONS } from '@wharf/contracts';
import { FTP_USERNAME_PATTERN, QUOTA_PERIODS } from '@wharf/database';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { FtpLimitsDto, PermissionRuleDto } from '../../ftp-shared/ftp-limits.dto';
import { IsHomeDir } from '../../ftp-shared/ftp-validators';

export const USERNAME_RULE =
  'username must be 3-64 characters: a letter or digit, then letters, digits, ".", "_", "@" or "-"';

export class CreateFtpUserDto extends FtpLimitsDto {
  @ApiProperty({
    example: 'alice',
    pattern: FTP_USERNAME_PATTERN.source,
    description: 'Unique case-insensitively. ' + USERNAME_RULE,
  })
  @IsString()
  @Matches(FTP_USERNAME_PATTERN, { message: USERNAME_RULE })
  username!: string;

  @ApiProperty({
    example: 'correct horse battery staple',
    writeOnly: true,
    minLength: 8,
    maxLength: 1024,
    description: 'Write-only: stored as an argon2id hash, never returned',
  })
  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({ example: true, default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2027-01-01T00:00:00Z' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsDateString({ strict: true })
  expiresAt?: string | null;

  @ApiPropertyOptional({
    example: 'customers/alice',
    description:
      'Virtual root, relative to the storage root (no leading /, no ".." segments). Default: the username',
  })
  @IsOptional()
  @IsHomeDir()
  homeDir?: string;

  @ApiPropertyOptional({
    type: [PermissionRuleDto],
    example: [{ path: '/', allow: ALL_FTP_PERMISSIONS }],
    description: 'Default: every permission on /',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @ValidateNested({ each: true })
  @Type(() => PermissionRuleDto)
  permissions?: PermissionRuleDto[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    example: ['0192f0c4-5b7e-7c3a-9d1e-2f3a4b5c6d7e'],
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(256)
  @IsUUID('all', { each: true })
  groupIds?: string[];
}

/**
 * PATCH: any subset. `password` here is the same as POST /:id/password. A
 * null still meets the field's own rules (skipNullProperties false): a 400
 * for a required one, not a 500 from a NOT NULL column.
 */
export class UpdateFtpUserDto extends PartialType(CreateFtpUserDto, { skipNullProperties: false }) {}

/**
 * PUT: the whole writable representation. Omitted optional fields go back to
 * their defaults (limits null = inherit, enabled true, all permissions on /,
 * no groups). The password is kept when omitted.
 */
export class ReplaceFtpUserDto extends OmitType(CreateFtpUserDto, ['password'] as const) {
  @ApiPropertyOptional({ writeOnly: true, example: 'correct horse battery staple' })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  password?: string;
}

export class ResetPasswordDto {
  @ApiProperty({ example: 'a new long passphrase', writeOnly: true, minLength: 8 })
  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  password!: string;
}

/** One row of a bulk import: a create body, plus group names as an alternative to ids. */
export class BulkFtpUserDto extends CreateFtpUserDto {
  @ApiPropertyOptional({ type: [String], example: ['customers'] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  groups?: string[];
}

export class BulkFtpUsersDto {
  @ApiProperty({ type: [BulkFtpUserDto] })
  @IsArray()
  @ArrayMaxSize(10000)
  users!: unknown[];
}

export class FtpUserUsageView {
  @ApiProperty({ example: 52428800 })
  usedBytes!: number;

  @ApiProperty({ example: 12 })
  usedFiles!: number;

  @ApiProperty({ example: 1048576 })
  periodUploadBytes!: number;

  @ApiProperty({ example: 2097152 })
  periodDownloadBytes!: number;

  @ApiProperty({ type: String, nullable: true, example: '2026-11-01T00:00:00.000Z' })
  periodStart!: string | null;
}

export class PermissionRuleView {
  @ApiProperty({ example: '/' })
  path!: string;

  @ApiProperty({ enum: ALL_FTP_PERMISSIONS, isArray: true, example: ALL_FTP_PERMISSIONS })
  allow!: string[];
}

/** What the API returns for an FTP user. Never a password or hash. */
export class FtpUserView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'alice' })
  username!: string;

  @ApiProperty({ example: true })
  enabled!: boolean;

  @ApiProperty({ type: String, nullable: true, example: null })
  expiresAt!: string | null;

  @ApiProperty({ example: 'alice' })
  homeDir!: string;

  @ApiProperty({ type: Number, nullable: true, example: 10737418240 })
  quotaBytes!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: null })
  quotaFiles!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: null })
  uploadQuotaBytes!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: null })
  downloadQuotaBytes!: number | null;

  @ApiProperty({ enum: QUOTA_PERIODS, nullable: true, example: null })
  quotaPeriod!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: null })
  uploadBandwidth!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: null })
  downloadBandwidth!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 2 })
  maxSessions!: number | null;

  @ApiProperty({ type: [String], nullable: true, example: ['10.0.0.0/8'] })
  allowedIps!: string[] | null;

  @ApiProperty({ type: Boolean, nullable: true, example: null })
  requireTls!: boolean | null;

  @ApiProperty({ type: [PermissionRuleView] })
  permissions!: PermissionRuleView[];

  @ApiProperty({ type: [String], format: 'uuid' })
  groupIds!: string[];

  @ApiProperty({ type: FtpUserUsageView, nullable: true })
  usage!: FtpUserUsageView | null;

  @ApiProperty({ type: String, nullable: true })
  lastLoginAt!: string | null;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty()
  updatedAt!: string;
}

export class BulkResultView {
  @ApiProperty({ example: 2 })
  created!: number;

  @ApiProperty({ type: [FtpUserView] })
  users!: FtpUserView[];
}

/** One user a bulk import would create (`?dryRun=true`). */
export class BulkDryRunUserView {
  @ApiProperty({ description: 'Line of the CSV file, or 1-based index in `users`', example: 2 })
  line!: number;

  @ApiProperty({ example: 'alice' })
  username!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ example: 'alice' })
  homeDir!: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  groupIds!: string[];

  @ApiProperty({ type: [PermissionRuleView] })
  permissions!: PermissionRuleView[];
}

/** `POST /ftp-users/bulk?dryRun=true` when every row is valid: nothing was written. */
export class BulkDryRunView {
  @ApiProperty({ enum: [true] })
  dryRun!: true;

  @ApiProperty({ example: 0 })
  created!: 0;

  @ApiProperty({ example: 2 })
  wouldCreate!: number;

  @ApiProperty({ type: [BulkDryRunUserView] })
  users!: BulkDryRunUserView[];
}
