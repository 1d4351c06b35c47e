/* Test support for the quota specs (never imported by production code). */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import * as net from 'node:net';

import { createDataSource } from '@wharf/database';
import type { DataSource } from 'typeorm';

import { QuotaRepository } from './quota.repository';
import { QuotaService } from './quota.service';
import type { QuotaLimits } from './quota-limits';

export const MiB = 1024 * 1024;

export async function openTestDataSource(poolSize = 10): Promise<DataSource> {
  const url = process.env.WHARF_TEST_DATABASE_URL;
  if (!url) throw new Error('WHARF_TEST_DATABASE_URL is not set (run through test/jest.config.js)');
  return createDataSource(url, { poolSize, applicationName: 'wharf-quota-spec' }).initialize();
}

/** An FTP user with the given limit columns (null = inherit / unlimited). */
export async function createFtpUser(
  ds: DataSource,
  overrides: Partial<{
    quota_bytes: number | null;
    quota_files: number | null;
    upload_quota_bytes: number | null;
    download_quota_bytes: number | null;
    quota_period: 'day' | 'month' | null;
    upload_bandwidth: number | null;
    download_bandwidth: number | null;
    home_dir: string;
  }> = {},
): Promise<{ id: string; username: string; homeDir: string }> {
  const username = `q${randomUUID().slice(0, 12)}`;
  const homeDir = overrides.home_dir ?? `homes/${username}`;
  const [row] = (await ds.query(
    `INSERT INTO ftp_users (username, password_hash, home_dir, quota_bytes, quota_files,
                            upload_quota_bytes, download_quota_bytes, quota_period,
                            upload_bandwidth, download_bandwidth)
     VALUES ($1, 'x', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      username,
      homeDir,
      overrides.quota_bytes ?? null,
      overrides.quota_files ?? null,
      overrides.upload_quota_bytes ?? null,
      overrides.download_quota_bytes ?? null,
      overrides.quota_period ?? null,
      overrides.upload_bandwidth ?? null,
      overrides.download_bandwidth ?? null,
    ],
  )) as { id: string }[];
  return { id: row!.id, username, homeDir };
}

export async function usageOf(
  ds: DataSource,
  userId: string,
): Promise<{
  usedBytes: number;
  usedFiles: number;
  reservedBytes: number;
  reservedFiles: number;
  periodUploadBytes: number;
  periodDownloadBytes: number;
  periodStart: Date | null;
}> {
  const counters = await new QuotaRepository(ds).counters(userId);
  if (!counters) throw new Error(`no usage row for ${userId}`);
  return counters;
}

export function limits(overrides: Partial<QuotaLimits> = {}): QuotaLimits {
  return {
    quotaBytes: null,
    quotaFiles: null,
    uploadQuotaBytes: null,
    downloadQuotaBytes: null,
    quotaPeriod: 'month',
    ...overrides,
  };
}

/** A QuotaService as one live worker would have it (registered, heartbeating now), with a settable clock. */
export async function quotaService(
  ds: DataSource,
  workerId = `worker-spec-${randomUUID().slice(0, 8)}`,
  clock: { now: Date } = { now: new Date() },
): Promise<{ service: QuotaService; clock: { now: Date }; workerId: string }> {
  // A reservation of a worker without a fresh workers row is dead to any
  // reconcile running meanwhile (the test database is shared by the run).
  await ds.query(
    `INSERT INTO workers (id, hostname, version, started_at, last_heartbeat_at, status)
     VALUES ($1, 'spec', 'spec', now(), now() + interval '1 hour', 'running')
     ON CONFLICT (id) DO NOTHING`,
    [workerId],
  );
  const service = new QuotaService(new QuotaRepository(ds), { workerId, now: () => clock.now });
  return { service, clock, workerId };
}

/**
 * A bare control connection for the quota-refusal cases. basic-ftp reports
 * the data connection's reset (ECONNRESET) instead of the 552 when the engine
 * tears the data connection down before its reply arrives, so these tests
 * read the reply from the control connection themselves.
 */
export class RawFtp {
  private buffer = '';
  private readonly lines: string[] = [];
  private waiter: (() => void) | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\r\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, i));
        this.buffer = this.buffer.slice(i + 2);
      }
      this.waiter?.();
    });
  }

  static async login(port: number, user = 'quota-user', password = 'x'): Promise<RawFtp> {
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const raw = new RawFtp(socket);
    await raw.reply();
    await raw.send(`USER ${user}`);
    const pass = await raw.send(`PASS ${password}`);
    if (pass.code !== 230) throw new Error(`login failed: ${pass.text}`);
    return raw;
  }

  /** The next final reply (multi-line replies collapsed to their last line). */
  async reply(): Promise<{ code: number; text: string }> {
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) {
        if (/^\d{3} /.test(line)) return { code: Number(line.slice(0, 3)), text: line };
        continue;
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  async send(command: string): Promise<{ code: number; text: string }> {
    this.socket.write(`${command}\r\n`);
    return this.reply();
  }

  /** STOR over EPSV; resolves with the 150 and the final reply. */
  async store(name: string, data: Buffer): Promise<{ code: number; text: string }> {
    const epsv = await this.send('EPSV');
    const port = Number(/\|\|\|(\d+)\|/.exec(epsv.text)?.[1]);
    const dataSocket = net.connect(port, '127.0.0.1');
    dataSocket.on('error', () => undefined);
    await once(dataSocket, 'connect');
    const started = await this.send(`STOR ${name}`);
    if (started.code !== 150) return started;
    dataSocket.end(data);
    return this.reply();
  }

  close(): void {
    this.socket.destroy();
  }
}
