/* Test helper: boots the real api against the per-run test database. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import type { INestApplication } from '@nestjs/common';
import { loadConfig, type WharfConfig } from '@wharf/config';
import { AdminRole } from '@wharf/contracts';
import { AdminEntity, createDataSource, hashPassword } from '@wharf/database';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { createApiApp } from '../app.factory';
import type { LoginRateLimits } from '../auth/login-rate-limiter';

export interface TestAdmin {
  id: string;
  username: string;
  password: string;
  role: AdminRole;
}

export interface TestResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, else the text. */
  body: T;
}

export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>` (JWT or API key). */
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiTestApp {
  app: INestApplication;
  config: WharfConfig;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** A separate connection to the same database, for assertions. */
  dataSource: DataSource;
  /** One enabled admin per role, with unique usernames, logged in. */
  admins: Record<AdminRole, TestAdmin>;
  tokens: Record<AdminRole, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  request<T = any>(
    method: string,
    urlPath: string,
    options?: RequestOptions,
  ): Promise<TestResponse<T>>;
  /** Creates one more admin directly in the database. */
  createAdmin(
    role: AdminRole,
    overrides?: { username?: string; enabled?: boolean },
  ): Promise<TestAdmin>;
  login(username: string, password: string): Promise<string>;
  close(): Promise<void>;
}

export interface ApiTestAppOptions {
  loginRateLimits?: LoginRateLimits;
  /** Extra environment for loadConfig (e.g. WHARF_TRUST_PROXY: 'true'). */
  env?: Record<string, string>;
  /**
   * A fresh, freshly migrated database of its own instead of the shared
   * per-run one: for tests that depend on global state (e.g. "the last
   * superadmin"). Dropped on close.
   */
  isolatedDatabase?: boolean;
}

let counter = 0;
const unique = () =>
  `${process.pid.toString(36)}${(counter++).toString(36)}${randomBytes(3).toString('hex')}`;

function testDatabaseUrl(): string {
  const url = process.env.WHARF_TEST_DATABASE_URL;
  if (!url) throw new Error('WHARF_TEST_DATABASE_URL unset: run through test/jest.config.js');
  return url;
}

async function createIsolatedDatabase(
  baseUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${new URL(baseUrl).pathname.slice(1)}_${unique()}`.slice(0, 63);
  const maintenance = new URL(baseUrl);
  maintenance.pathname = '/postgres';
  const run = async (sql: string) => {
    const client = new Client({ connectionString: maintenance.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const ds = createDataSource(url.toString());
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export async function createApiTestApp(options: ApiTestAppOptions = {}): Promise<ApiTestApp> {
  const isolated = options.isolatedDatabase
    ? await createIsolatedDatabase(testDatabaseUrl())
    : undefined;
  const databaseUrl = isolated?.url ?? testDatabaseUrl();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'wharf-api-test-'));
  const id = unique();
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      // Redis when the machine offers it, else BullMQ's PostgreSQL backend; either way a prefix of our own.
      REDIS_URL: process.env.WHARF_TEST_REDIS_URL,
      WHARF_QUEUE_PREFIX: `wt_${process.env.WHARF_TEST_RUN_ID ?? ''}_${id}`
        .slice(0, 40)
        .toLowerCase(),
      WHARF_DATA_DIR: dataDir,
      WHARF_JWT_SECRET: randomBytes(32).toString('hex'),
      WHARF_LOG_LEVEL: 'error',
      ...options.env,
    },
    dataDir,
  );
  const app = await createApiApp(config, {
    loginRateLimits: options.loginRateLimits,
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  // Specs pause for seconds between requests (writing rows, waiting on queues); the
  // server must not close a keep-alive socket fetch is about to reuse (ECONNRESET).
  server.keepAliveTimeout = 60_000;
  const address = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const dataSource = createDataSource(databaseUrl, { poolSize: 3, applicationName: 'wharf-test' });
  await dataSource.initialize();

  const request = async <T>(method: string, urlPath: string, opts: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    }
    const response = await fetch(`${baseUrl}${urlPath}`, { method, headers, body });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('json') && text !== '';
    return {
      status: response.status,
      headers: response.headers,
      body: (isJson ? JSON.parse(text) : text) as T,
    };
  };

  const createAdmin = async (
    role: AdminRole,
    overrides: { username?: string; enabled?: boolean } = {},
  ) => {
    const username = overrides.username ?? `${role}_${unique()}`;
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const saved = await dataSource.getRepository(AdminEntity).save({
      username,
      passwordHash: await hashPassword(password),
      role,
      enabled: overrides.enabled ?? true,
    });
    return { id: saved.id, username, password, role };
  };

  const login = async (username: string, password: string) => {
    const response = await request<{ accessToken: string }>('POST', '/api/v1/auth/login', {
      body: { username, password },
    });
    if (response.status !== 200)
      throw new Error(
        `login of ${username} failed: ${response.status} ${JSON.stringify(response.body)}`,
      );
    return response.body.accessToken;
  };

  const admins = {} as Record<AdminRole, TestAdmin>;
  const tokens = {} as Record<AdminRole, string>;
  for (const role of [AdminRole.Superadmin, AdminRole.Admin, AdminRole.Auditor]) {
    admins[role] = await createAdmin(role);
    tokens[role] = await login(admins[role].username, admins[role].password);
  }

  return {
    app,
    config,
    baseUrl,
    dataSource,
    admins,
    tokens,
    request,
    createAdmin,
    login,
    async close() {
      await app.close();
      await dataSource.destroy();
      await rm(dataDir, { recursive: true, force: true });
      await isolated?.drop();
    },
  };
}
