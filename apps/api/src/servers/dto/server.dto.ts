import { isIP } from 'node:net';

import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { TLS_MODES, type TlsMode } from '@wharf/database';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsIP,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateIf,
} from 'class-validator';

import { IsSingleLine } from '../../ftp-shared/ftp-validators';

export const SERVER_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/;
export const WORKER_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const HOSTNAME =
  /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

const Nullable = () => ValidateIf((_o, v) => v !== null && v !== undefined);
/**
 * May be left out, but never null: for NOT NULL columns. IsOptional would let
 * null through to the database (a 500 instead of a 400 naming the field).
 */
const Omittable = () => ValidateIf((_o, v) => v !== undefined);

function IsHostOrIp(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isHostOrIp',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a host name or an IP address' },
      validator: {
        validate: (v: unknown) => typeof v === 'string' && (isIP(v) !== 0 || HOSTNAME.test(v)),
      },
    });
}

export class CreateServerDto {
  @ApiProperty({ example: 'main', description: 'Unique case-insensitively' })
  @IsString()
  @Matches(SERVER_NAME_PATTERN, {
    message: 'name must be 1-64 characters: a letter or digit, then letters, digits, ".", "_", "-"',
  })
  name!: string;

  @ApiPropertyOptional({ example: '0.0.0.0', default: '0.0.0.0' })
  @Omittable()
  @IsIP()
  bindAddress?: string;

  @ApiProperty({ example: 2121, minimum: 1, maximum: 65535 })
  @IsInt()
  @Min(1)
  @Max(65535)
  port!: number;

  @ApiPropertyOptional({
    enum: TLS_MODES,
    default: 'none',
    description: 'explicit = AUTH TLS on the port; implicit = TLS from the first byte',
  })
  @Omittable()
  @IsIn(TLS_MODES as TlsMode[])
  tlsMode?: TlsMode;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'PEM certificate (chain allowed). Validated against keyPem on save.',
  })
  @IsOptional()
  @Nullable()
  @IsString()
  @MaxLength(65536)
  certPem?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    writeOnly: true,
    description: 'PEM private key, unencrypted. Write-only: never returned (see hasPrivateKey).',
  })
  @IsOptional()
  @Nullable()
  @IsString()
  @MaxLength(65536)
  keyPem?: string | null;

  @ApiPropertyOptional({
    example: false,
    description: 'Generate and store a self-signed ECDSA pair (instead of certPem/keyPem)',
  })
  @IsOptional()
  @IsBoolean()
  generateSelfSigned?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Refuse USER/PASS before AUTH TLS' })
  @Omittable()
  @IsBoolean()
  requireTls?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: "Data connections must resume the control connection's TLS session",
  })
  @Omittable()
  @IsBoolean()
  requireTlsSessionReuse?: boolean;

  @ApiPropertyOptional({
    example: 30000,
    minimum: 1024,
    maximum: 65535,
    description: 'Default: WHARF_FTP_PASSIVE_PORTS',
  })
  @Omittable()
  @IsInt()
  @Min(1024)
  @Max(65535)
  passivePortMin?: number;

  @ApiPropertyOptional({ example: 30099, minimum: 1024, maximum: 65535 })
  @Omittable()
  @IsInt()
  @Min(1024)
  @Max(65535)
  passivePortMax?: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'ftp.example.com',
    description: 'Address announced in PASV replies (behind NAT)',
  })
  @IsOptional()
  @Nullable()
  @IsHostOrIp()
  publicHost?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Welcome to Example FTP' })
  @IsOptional()
  @Nullable()
  @IsSingleLine()
  @MaxLength(500)
  banner?: string | null;

  @ApiPropertyOptional({ example: 30, default: 30, minimum: 1, maximum: 3600 })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(3600)
  loginTimeoutS?: number;

  @ApiPropertyOptional({ example: 300, default: 300, minimum: 1, maximum: 86400 })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(86400)
  idleTimeoutS?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 500,
    description: 'null = unlimited',
  })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(1000000)
  maxConnections?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 10,
    description: 'null = unlimited',
  })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(1000000)
  maxConnectionsPerIp?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 10485760,
    description:
      'Bytes per second for all uploads through this server on one worker together ' +
      "(shared by its sessions there; each user's own limit applies as well). null or 0 = no cap",
  })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  uploadBandwidth?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 20971520,
    description:
      'Bytes per second for all downloads through this server on one worker together. null or 0 = no cap',
  })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  downloadBandwidth?: number | null;

  @ApiPropertyOptional({
    default: true,
    description:
      "fsync each upload's file and directory before the 226 (durable uploads). false leaves " +
      'them to the page cache: faster on many small files, but a crash of the machine may lose ' +
      'uploads the client was told are stored',
  })
  @Omittable()
  @IsBoolean()
  fsyncUploads?: boolean;

  @ApiPropertyOptional({
    default: true,
    description:
      'SHA-256 of each upload for its transfer-log row (sha256). false skips the hash, about ' +
      '0.6 s of CPU per GiB uploaded, which on a machine with few cores competes with the ' +
      "transfers: the rows of this server's uploads then have sha256 null",
  })
  @Omittable()
  @IsBoolean()
  uploadSha256?: boolean;

  @ApiPropertyOptional({ default: true })
  @Omittable()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    type: [String],
    example: ['worker-a'],
    description:
      'Workers that run this server. Empty = every worker. Ids may name workers not yet registered.',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(1000)
  @Matches(WORKER_ID_PATTERN, {
    each: true,
    message: 'workerIds must contain worker ids (lowercase letters, digits and -)',
  })
  workerIds?: string[];
}

// skipNullProperties false: PATCH may omit any field, but a null still meets the field's own
// rules (400 for name, port, fsyncUploads, uploadSha256: NOT NULL columns), not a 500 from the
// database. Fields that may be null say so themselves (IsOptional).
export class UpdateServerDto extends PartialType(CreateServerDto, { skipNullProperties: false }) {}

export class CertificateView {
  @ApiProperty({ example: 'CN=ftp.example.com' })
  subject!: string;

  @ApiProperty({ example: 'CN=ftp.example.com' })
  issuer!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'DNS:ftp.example.com, IP Address:127.0.0.1',
  })
  subjectAltName!: string | null;

  @ApiProperty()
  validFrom!: string;

  @ApiProperty()
  validTo!: string;

  @ApiProperty({ example: 'AB:CD:...' })
  fingerprint256!: string;

  @ApiProperty()
  selfSigned!: boolean;
}

/** A server as the API returns it: never the private key. */
export class ServerView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'main' })
  name!: string;

  @ApiProperty({ example: '0.0.0.0' })
  bindAddress!: string;

  @ApiProperty({ example: 2121 })
  port!: number;

  @ApiProperty({ enum: TLS_MODES })
  tlsMode!: TlsMode;

  @ApiProperty({ type: String, nullable: true })
  certPem!: string | null;

  @ApiProperty({ type: CertificateView, nullable: true })
  certificate!: CertificateView | null;

  @ApiProperty({ example: true })
  hasPrivateKey!: boolean;

  @ApiProperty()
  requireTls!: boolean;

  @ApiProperty()
  requireTlsSessionReuse!: boolean;

  @ApiProperty({ example: 30000 })
  passivePortMin!: number;

  @ApiProperty({ example: 30099 })
  passivePortMax!: number;

  @ApiProperty({ type: String, nullable: true })
  publicHost!: string | null;

  @ApiProperty({ type: String, nullable: true })
  banner!: string | null;

  @ApiProperty({ example: 30 })
  loginTimeoutS!: number;

  @ApiProperty({ example: 300 })
  idleTimeoutS!: number;

  @ApiProperty({ type: Number, nullable: true })
  maxConnections!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  maxConnectionsPerIp!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Bytes per second, all uploads through this server on one worker; null = no cap',
  })
  uploadBandwidth!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Bytes per second, all downloads through this server on one worker; null = no cap',
  })
  downloadBandwidth!: number | null;

  @ApiProperty({ description: "Uploads are fsync'd before the 226" })
  fsyncUploads!: boolean;

  @ApiProperty({ description: 'Uploads are hashed (SHA-256) for their transfer-log rows' })
  uploadSha256!: boolean;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: [String], description: 'Empty = runs on every worker' })
  workerIds!: string[];

  @ApiProperty()
  createdAt!: string;

  @ApiProperty()
  updatedAt!: string;
}

export class ServerWorkerStatusView {
  @ApiProperty({ example: 'worker-a' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, example: 'ftp-1.internal' })
  hostname!: string | null;

  @ApiProperty({
    enum: ['online', 'stale', 'unknown'],
    description: 'unknown = assigned, never registered',
  })
  status!: 'online' | 'stale' | 'unknown';

  @ApiProperty({
    type: Boolean,
    nullable: true,
    description:
      'Whether the worker reports listening for this server (meta.servers); null = not reported',
  })
  listening!: boolean | null;
}

export class ServerStatusView {
  @ApiProperty({ format: 'uuid' })
  serverId!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ description: 'No assignment: every worker runs it' })
  runsOnAllWorkers!: boolean;

  @ApiProperty({ type: [ServerWorkerStatusView] })
  workers!: ServerWorkerStatusView[];
}
