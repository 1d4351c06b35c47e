import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { FTP_GROUP_NAME_PATTERN } from '@wharf/database';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { FtpLimitsDto, PermissionRuleDto } from '../../ftp-shared/ftp-limits.dto';
import { PermissionRuleView } from '../../ftp-users/dto/ftp-user.dto';

export const GROUP_NAME_RULE =
  'name must be 1-64 characters: a letter or digit, then letters, digits, spaces, ".", "_", "@" or "-"';

/** A group: limits its members inherit (when they set none), members and permission rules. */
export class CreateGroupDto extends FtpLimitsDto {
  @ApiProperty({ example: 'customers', description: 'Unique case-insensitively' })
  @IsString()
  @Matches(FTP_GROUP_NAME_PATTERN, { message: GROUP_NAME_RULE })
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'External customers' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(1000)
  description?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'FTP user ids' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(10000)
  @IsUUID('all', { each: true })
  memberIds?: string[];

  @ApiPropertyOptional({
    type: [PermissionRuleDto],
    example: [{ path: '/', allow: ['list', 'download'] }],
    description: 'Default: none (members keep their own rules)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @ValidateNested({ each: true })
  @Type(() => PermissionRuleDto)
  permissions?: PermissionRuleDto[];
}

/** PATCH: any subset; a null still meets the field's own rules (a 400 for `name`, not a 500). */
export class UpdateGroupDto extends PartialType(CreateGroupDto, { skipNullProperties: false }) {}

export class GroupView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'customers' })
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 10737418240 })
  quotaBytes!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  quotaFiles!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  uploadQuotaBytes!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  downloadQuotaBytes!: number | null;

  @ApiProperty({ type: String, nullable: true, enum: ['day', 'month'] })
  quotaPeriod!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  uploadBandwidth!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  downloadBandwidth!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  maxSessions!: number | null;

  @ApiProperty({ type: [String], nullable: true })
  allowedIps!: string[] | null;

  @ApiProperty({ type: Boolean, nullable: true })
  requireTls!: boolean | null;

  @ApiProperty({ type: [String], format: 'uuid' })
  memberIds!: string[];

  @ApiProperty({ type: [PermissionRuleView] })
  permissions!: PermissionRuleView[];

  @ApiProperty()
  createdAt!: string;

  @ApiProperty()
  updatedAt!: string;
}
