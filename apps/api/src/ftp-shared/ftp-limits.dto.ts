import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ALL_FTP_PERMISSIONS, FtpPermission } from '@wharf/contracts';
import { QUOTA_PERIODS, type QuotaPeriod } from '@wharf/database';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';

import { IsIpOrCidr, IsVirtualPath } from './ftp-validators';

const MAX_BYTES = Number.MAX_SAFE_INTEGER;

/** `null` is accepted and means "not set here" (inherit / unlimited). */
const Nullable = () => ValidateIf((_o, v) => v !== null && v !== undefined);

/**
 * Limits an FTP user or a group can set. Absent or `null` = not set: a user
 * then inherits from their groups, and when nobody sets it the default applies
 * (unlimited, any address, TLS optional). See GET /ftp-users/:id/effective.
 */
export class FtpLimitsDto {
  @ApiPropertyOptional({ type: Number, nullable: true, example: 10737418240, minimum: 0 })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(MAX_BYTES)
  quotaBytes?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 100000, minimum: 0 })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(MAX_BYTES)
  quotaFiles?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 1073741824,
    description: 'Upload bytes allowed per quotaPeriod',
  })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(MAX_BYTES)
  uploadQuotaBytes?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 5368709120,
    description: 'Download bytes allowed per quotaPeriod',
  })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(MAX_BYTES)
  downloadQuotaBytes?: number | null;

  @ApiPropertyOptional({ enum: QUOTA_PERIODS, nullable: true, example: 'month' })
  @IsOptional()
  @Nullable()
  @IsIn(QUOTA_PERIODS as QuotaPeriod[])
  quotaPeriod?: QuotaPeriod | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 1048576,
    description: 'Bytes per second',
  })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(MAX_BYTES)
  uploadBandwidth?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 4194304,
    description: 'Bytes per second',
  })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(MAX_BYTES)
  downloadBandwidth?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 4, minimum: 0 })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(100000)
  maxSessions?: number | null;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    example: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7'],
    description: 'IP addresses and CIDR blocks allowed to log in; null = any',
  })
  @IsOptional()
  @Nullable()
  @IsArray()
  @ArrayMaxSize(256)
  @IsIpOrCidr()
  allowedIps?: string[] | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true, example: true })
  @IsOptional()
  @Nullable()
  @IsBoolean()
  requireTls?: boolean | null;
}

export class PermissionRuleDto {
  @ApiProperty({ example: '/incoming', description: 'Absolute virtual path prefix' })
  @IsVirtualPath()
  path!: string;

  @ApiProperty({
    enum: ALL_FTP_PERMISSIONS,
    isArray: true,
    example: ['list', 'upload', 'mkdir'],
  })
  @IsArray()
  @ArrayUnique()
  @IsIn(ALL_FTP_PERMISSIONS as FtpPermission[], {
    each: true,
    message: `allow must contain only: ${ALL_FTP_PERMISSIONS.join(', ')}`,
  })
  allow!: FtpPermission[];
}
