import { ApiProperty } from '@nestjs/swagger';
import { ALL_FTP_PERMISSIONS, type FtpPermission } from '@wharf/contracts';
import type { EffectiveLimits } from '@wharf/database';

export class SourcedValueView {
  @ApiProperty({
    example: 10737418240,
    description: 'The effective value (null = unlimited / any)',
  })
  value!: unknown;

  @ApiProperty({
    example: 'group:customers',
    description: '"user", "group:<name>" (several joined by "," for united lists) or "default"',
  })
  source!: string;
}

export class EffectiveRuleView {
  @ApiProperty({ example: '/' })
  path!: string;

  @ApiProperty({ enum: ALL_FTP_PERMISSIONS, isArray: true })
  allow!: FtpPermission[];

  @ApiProperty({ example: 'user' })
  source!: string;
}

export class EffectiveGroupView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'customers' })
  name!: string;
}

/**
 * A user's settings merged with their groups'. Rule: the user's own non-null
 * value wins; else the most permissive group value (largest limit, requireTls
 * false, union of allowedIps; quotaPeriod from the first group by name); else
 * the default. Permission rules: user's rule replaces the groups' rules for
 * the same path, groups' rules for one path are united, the longest matching
 * path prefix wins at check time, no match = denied.
 */
export class EffectiveSettingsView {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ example: 'alice' })
  username!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: String, nullable: true })
  expiresAt!: string | null;

  @ApiProperty({ example: 'alice' })
  homeDir!: string;

  @ApiProperty({ type: [EffectiveGroupView] })
  groups!: EffectiveGroupView[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/SourcedValueView' },
    example: {
      quotaBytes: { value: 10737418240, source: 'group:customers' },
      maxSessions: { value: 2, source: 'user' },
      requireTls: { value: false, source: 'default' },
    },
  })
  limits!: EffectiveLimits;

  @ApiProperty({ type: [EffectiveRuleView] })
  permissions!: EffectiveRuleView[];
}
