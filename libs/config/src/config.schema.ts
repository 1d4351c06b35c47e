import * as path from 'node:path';

import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const portRange = z
  .string()
  .regex(/^\d{1,5}-\d{1,5}$/, 'must look like 30000-30099')
  .transform((v) => {
    const [min, max] = v.split('-').map(Number) as [number, number];
    return { min, max };
  })
  .refine((r) => r.min >= 1024 && r.max <= 65535 && r.min <= r.max, {
    message: 'must be a range within 1024-65535 with min <= max',
  });

const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((v) => protocols.some((p) => v.startsWith(`${p}://`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

/** `https://a.example,http://localhost:5173`: each one an origin exactly (scheme, host, port; no path). */
const originList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
  )
  .refine((origins) => origins.every(isOrigin), {
    message: 'must be comma-separated origins like https://admin.example.com (no path, no /)',
  });

function isOrigin(value: string): boolean {
  try {
    const parsed = new URL(value);
    return /^https?:$/.test(parsed.protocol) && parsed.origin === value;
  } catch {
    return false;
  }
}

/**
 * Every environment variable Wharf reads, in one place. `loadConfig` is the
 * only code that touches process.env (see STYLE.md "Config is validated once").
 */
export const envObject = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  REDIS_URL: url(['redis', 'rediss']).optional(),
  WHARF_DATA_DIR: z.string().min(1).default('.wharf'),
  WHARF_STORAGE_ROOT: z.string().min(1).optional(),
  WHARF_API_HOST: z.string().min(1).default('127.0.0.1'),
  WHARF_API_PORT: port.default(3000),
  WHARF_PUBLIC_URL: z.string().url().optional(),
  WHARF_ADMIN_USERNAME: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{3,64}$/, 'must be 3-64 characters of a-z A-Z 0-9 . _ -')
    .default('admin'),
  WHARF_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  WHARF_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  WHARF_JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(604800).default(3600),
  WHARF_FTP_HOST: z.string().min(1).default('127.0.0.1'),
  WHARF_FTP_PORT: port.default(2121),
  WHARF_FTP_PASSIVE_PORTS: portRange.prefault('30000-30099'),
  WHARF_FTP_PUBLIC_HOST: z.string().min(1).optional(),
  WHARF_WORKER_ID: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and -')
    .optional(),
  WHARF_WORKER_HEALTH_PORT: port.default(0),
  WHARF_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(5),
  WHARF_RECONCILE_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
  WHARF_DRAIN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  WHARF_QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/, 'must be 1-40 of a-z 0-9 _ -')
    .default('wharf'),
  WHARF_LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  WHARF_ADMIN_UI_DIR: z.string().min(1).optional(),
  WHARF_TRUST_PROXY: bool.prefault('false'),
  WHARF_CORS_ORIGINS: originList.prefault(''),
});

/** Rules that span variables; checked even when other variables are invalid. */
export function crossFieldProblems(
  env: Record<string, string>,
): { variable: string; message: string }[] {
  const problems: { variable: string; message: string }[] = [];
  if (env.NODE_ENV === 'production' && !env.WHARF_JWT_SECRET) {
    problems.push({
      variable: 'WHARF_JWT_SECRET',
      message: 'is required when NODE_ENV=production',
    });
  }
  return problems;
}

export const envSchema = envObject;

export type Env = z.infer<typeof envSchema>;

export interface WharfConfig {
  env: Env['NODE_ENV'];
  databaseUrl: string | undefined;
  /** The queue backend: Redis when REDIS_URL is set, else BullMQ's PostgreSQL backend. */
  queue:
    { backend: 'redis'; url: string; prefix: string } | { backend: 'postgres'; prefix: string };
  dataDir: string;
  storageRoot: string;
  spoolDir: string;
  api: {
    host: string;
    port: number;
    publicUrl: string | undefined;
    trustProxy: boolean;
    /** Browser origins allowed cross-origin access to the api; empty (the default): none. */
    corsOrigins: string[];
  };
  adminUiDir: string | undefined;
  seed: { adminUsername: string; adminPassword: string | undefined };
  jwt: { secret: string | undefined; ttlSeconds: number };
  ftp: {
    host: string;
    port: number;
    passivePorts: { min: number; max: number };
    publicHost: string | undefined;
  };
  worker: {
    id: string | undefined;
    healthPort: number;
    heartbeatSeconds: number;
    reconcileSeconds: number;
    /** SIGTERM: how long running transfers may finish before every session gets 421. */
    drainGraceSeconds: number;
  };
  logLevel: Env['WHARF_LOG_LEVEL'];
}

export function toConfig(env: Env, cwd: string): WharfConfig {
  const dataDir = path.resolve(cwd, env.WHARF_DATA_DIR);
  return {
    env: env.NODE_ENV,
    databaseUrl: env.DATABASE_URL,
    queue: env.REDIS_URL
      ? { backend: 'redis', url: env.REDIS_URL, prefix: env.WHARF_QUEUE_PREFIX }
      : { backend: 'postgres', prefix: env.WHARF_QUEUE_PREFIX },
    dataDir,
    storageRoot: path.resolve(cwd, env.WHARF_STORAGE_ROOT ?? path.join(dataDir, 'storage')),
    spoolDir: path.join(dataDir, 'spool'),
    api: {
      host: env.WHARF_API_HOST,
      port: env.WHARF_API_PORT,
      publicUrl: env.WHARF_PUBLIC_URL,
      trustProxy: env.WHARF_TRUST_PROXY,
      corsOrigins: env.WHARF_CORS_ORIGINS,
    },
    adminUiDir: env.WHARF_ADMIN_UI_DIR ? path.resolve(cwd, env.WHARF_ADMIN_UI_DIR) : undefined,
    seed: { adminUsername: env.WHARF_ADMIN_USERNAME, adminPassword: env.WHARF_ADMIN_PASSWORD },
    jwt: { secret: env.WHARF_JWT_SECRET, ttlSeconds: env.WHARF_JWT_TTL_SECONDS },
    ftp: {
      host: env.WHARF_FTP_HOST,
      port: env.WHARF_FTP_PORT,
      passivePorts: env.WHARF_FTP_PASSIVE_PORTS,
      publicHost: env.WHARF_FTP_PUBLIC_HOST,
    },
    worker: {
      id: env.WHARF_WORKER_ID,
      healthPort: env.WHARF_WORKER_HEALTH_PORT,
      heartbeatSeconds: env.WHARF_HEARTBEAT_SECONDS,
      reconcileSeconds: env.WHARF_RECONCILE_SECONDS,
      drainGraceSeconds: env.WHARF_DRAIN_GRACE_SECONDS,
    },
    logLevel: env.WHARF_LOG_LEVEL,
  };
}
