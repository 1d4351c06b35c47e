import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';

import { FtpServer } from '@wharf/ftp-protocol';
import { LocalFileSystem } from '@wharf/storage';
import { Client, FTPError } from 'basic-ftp';
import type { DataSource } from 'typeorm';

import { QuotaRepository } from './quota.repository';
import {
  createFtpUser,
  limits,
  MiB,
  openTestDataSource,
  quotaService,
  RawFtp,
  usageOf,
} from './quota.testing';
import type { QuotaLimits } from './quota-limits';
import { QuotaSession } from './quota-session';

/**
 * The quota module wired into the real engine and the real local FileSystem
 * as the worker wires it (wrapFileSystem + policyHooks + close on logout),
 * driven by basic-ftp.
 */
describe('quotas through the FTP engine (basic-ftp, real PostgreSQL and disk)', () => {
  let ds: DataSource;
  let root: string;

  beforeAll(async () => {
    ds = await openTestDataSource(8);
    root = await mkdtemp(path.join(tmpdir(), 'wharf-quota-'));
  });

  afterAll(async () => {
    await ds.destroy();
    await rm(root, { recursive: true, force: true });
  });

  async function serve(
    userId: string,
    homeDir: string,
    quota: Partial<QuotaLimits>,
    workerId?: string,
  ): Promise<{
    port: number;
    sessions: QuotaSession[];
    close: () => Promise<void>;
    /** Writes the usage counted behind (users no quota limits) now. */
    flush: () => Promise<void>;
  }> {
    const home = path.join(root, homeDir);
    await mkdir(home, { recursive: true });
    const { service } = await quotaService(ds, workerId);
    const sessions: QuotaSession[] = [];
    const server = new FtpServer({
      failedLoginDelayMs: 10,
      authenticator: {
        authenticate: async (request) => {
          const session = await service.openSession({
            userId,
            sessionId: request.sessionId,
            limits: limits(quota),
          });
          sessions.push(session);
          return {
            ok: true as const,
            principal: {
              userId,
              username: request.username,
              fileSystem: session.wrapFileSystem(new LocalFileSystem(home, { fsync: false })),
              policy: { ...session.policyHooks(), onLogout: () => session.close() },
            },
          };
        },
      },
    });
    const { port } = await server.listen();
    return {
      port,
      sessions,
      close: () => server.close({ graceMs: 100 }),
      flush: () => service.deltas.flush(),
    };
  }

  async function connect(port: number): Promise<Client> {
    const client = new Client(10_000);
    client.ftp.verbose = process.env.QDEBUG === '1';
    await client.access({ host: '127.0.0.1', port, user: 'quota-user', password: 'x' });
    return client;
  }

  const replyCode = async (promise: Promise<unknown>): Promise<number> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof FTPError) return error.code;
      throw error;
    }
    throw new Error('expected an FTP error reply');
  };

  it('aborts an upload that exceeds the storage quota with 552, removes it, leaves usage unchanged', async () => {
    const user = await createFtpUser(ds);
    const server = await serve(user.id, user.homeDir, { quotaBytes: 6 * MiB });
    const client = await connect(server.port);
    const raw = await RawFtp.login(server.port);
    try {
      await client.uploadFrom(Readable.from([Buffer.from('keep me')]), 'existing.txt');
      const before = await usageOf(ds, user.id);
      expect(before).toMatchObject({ usedBytes: 7, usedFiles: 1, reservedBytes: 0 });

      const big = randomBytes(10 * MiB);
      expect((await raw.store('big.bin', big)).code).toBe(552);
      // Also over an existing name: the old content must survive.
      expect((await raw.store('existing.txt', big)).code).toBe(552);

      // Neither the final names nor the hidden temporary files remain.
      const names = await readdir(path.join(root, user.homeDir));
      expect(names.sort()).toEqual(['existing.txt']);
      expect(await readFile(path.join(root, user.homeDir, 'existing.txt'), 'utf8')).toBe('keep me');
      expect(await usageOf(ds, user.id)).toMatchObject({
        usedBytes: 7,
        usedFiles: 1,
        reservedBytes: 0,
        reservedFiles: 0,
      });
    } finally {
      raw.close();
      client.close();
      await server.close();
    }
  });

  it('lets a small upload through when less than one reservation step is left', async () => {
    const user = await createFtpUser(ds);
    const server = await serve(user.id, user.homeDir, { quotaBytes: 1 * MiB });
    const client = await connect(server.port);
    try {
      await client.uploadFrom(Readable.from([randomBytes(300 * 1024)]), 'a.bin');
      await client.uploadFrom(Readable.from([randomBytes(300 * 1024)]), 'b.bin');
      expect(await usageOf(ds, user.id)).toMatchObject({
        usedBytes: 600 * 1024,
        usedFiles: 2,
        reservedBytes: 0,
      });
      const raw = await RawFtp.login(server.port);
      try {
        expect((await raw.store('c.bin', randomBytes(500 * 1024))).code).toBe(552);
      } finally {
        raw.close();
      }
      expect(await usageOf(ds, user.id)).toMatchObject({ usedBytes: 600 * 1024, reservedBytes: 0 });
    } finally {
      client.close();
      await server.close();
    }
  });

  it('counts overwrites, appends, deletes and renames over a file', async () => {
    const user = await createFtpUser(ds);
    const server = await serve(user.id, user.homeDir, { quotaBytes: 100 * MiB });
    const client = await connect(server.port);
    try {
      await client.uploadFrom(Readable.from([Buffer.alloc(1000)]), 'f.bin');
      await client.uploadFrom(Readable.from([Buffer.alloc(400)]), 'f.bin');
      expect(await usageOf(ds, user.id)).toMatchObject({ usedBytes: 400, usedFiles: 1 });
      await client.appendFrom(Readable.from([Buffer.alloc(100)]), 'f.bin');
      expect(await usageOf(ds, user.id)).toMatchObject({ usedBytes: 500, usedFiles: 1 });
      await client.uploadFrom(Readable.from([Buffer.alloc(50)]), 'g.bin');
      await client.rename('g.bin', 'h.bin');
      expect(await usageOf(ds, user.id)).toMatchObject({ usedBytes: 550, usedFiles: 2 });
      await client.rename('h.bin', 'f.bin');
      expect(await usageOf(ds, user.id)).toMatchObject({ usedBytes: 50, usedFiles: 1 });
      await client.remove('f.bin');
      expect(await usageOf(ds, user.id)).toMatchObject({
        usedBytes: 0,
        usedFiles: 0,
        reservedBytes: 0,
        reservedFiles: 0,
      });
    } finally {
      client.close();
      await server.close();
    }
  });

  it('skips the per-step reservations for a user without byte quotas, and still counts usage', async () => {
    const reserveBytes = jest.spyOn(QuotaRepository.prototype, 'reserveBytes');
    const openReservation = jest.spyOn(QuotaRepository.prototype, 'openReservation');
    const free = await createFtpUser(ds);
    const server = await serve(free.id, free.homeDir, { downloadQuotaBytes: 100 * MiB });
    const client = await connect(server.port);
    try {
      const big = randomBytes(9 * MiB + 123);
      await client.uploadFrom(Readable.from([big]), 'big.bin');
      expect((await readFile(path.join(root, free.homeDir, 'big.bin'))).equals(big)).toBe(true);
      await client.uploadFrom(Readable.from([Buffer.alloc(400)]), 'small.bin');
      await client.uploadFrom(Readable.from([Buffer.alloc(100)]), 'small.bin');
      await client.appendFrom(Readable.from([Buffer.alloc(50)]), 'small.bin');
      expect(reserveBytes).not.toHaveBeenCalled();
      // No byte or file limit: no reservation row either, the usage is written behind.
      expect(openReservation).not.toHaveBeenCalled();
      await server.flush();
      expect(await usageOf(ds, free.id)).toMatchObject({
        usedBytes: 9 * MiB + 123 + 150,
        usedFiles: 2,
        reservedBytes: 0,
        reservedFiles: 0,
        periodUploadBytes: 9 * MiB + 123 + 400 + 100 + 50,
      });
      await client.remove('big.bin');
      await server.flush();
      expect(await usageOf(ds, free.id)).toMatchObject({ usedBytes: 150, usedFiles: 1 });
    } finally {
      client.close();
      await server.close();
    }

    // A user with an upload transfer quota still reserves as the bytes arrive.
    const limited = await createFtpUser(ds);
    const metered = await serve(limited.id, limited.homeDir, { uploadQuotaBytes: 100 * MiB });
    const other = await connect(metered.port);
    try {
      await other.uploadFrom(Readable.from([randomBytes(5 * MiB)]), 'x.bin');
      expect(reserveBytes).toHaveBeenCalled();
      expect(await usageOf(ds, limited.id)).toMatchObject({
        usedBytes: 5 * MiB,
        periodUploadBytes: 5 * MiB,
        reservedBytes: 0,
      });
    } finally {
      other.close();
      await metered.close();
      reserveBytes.mockRestore();
      openReservation.mockRestore();
    }
  });

  it('charges a download without a download quota once, at its end, and still counts it', async () => {
    const charge = jest.spyOn(QuotaSession.prototype, 'chargeDownload');
    const update = jest.spyOn(QuotaRepository.prototype, 'chargeDownload');
    const free = await createFtpUser(ds);
    const server = await serve(free.id, free.homeDir, { quotaBytes: 100 * MiB });
    const client = await connect(server.port);
    try {
      const big = randomBytes(5 * MiB + 7);
      await client.uploadFrom(Readable.from([big]), 'big.bin');
      const chunks: Buffer[] = [];
      await client.downloadTo(
        new Writable({
          write(chunk: Buffer, _enc, done): void {
            chunks.push(chunk);
            done();
          },
        }),
        'big.bin',
      );
      expect(Buffer.concat(chunks).equals(big)).toBe(true);
      // One charge for the whole download, not one per MiB step, and no UPDATE
      // before the 226: it is written behind with the worker's other usage.
      expect(charge).toHaveBeenCalledTimes(1);
      expect(charge.mock.calls[0]?.[0]).toBe(5 * MiB + 7);
      expect(update).not.toHaveBeenCalled();
      await server.flush();
      expect(await usageOf(ds, free.id)).toMatchObject({ periodDownloadBytes: 5 * MiB + 7 });
    } finally {
      client.close();
      await server.close();
      charge.mockRestore();
      update.mockRestore();
    }
  });

  it('answers AVBL with what the quota leaves', async () => {
    const user = await createFtpUser(ds);
    const server = await serve(user.id, user.homeDir, {
      quotaBytes: 10 * MiB,
      uploadQuotaBytes: 8 * MiB,
    });
    const client = await connect(server.port);
    try {
      await client.uploadFrom(Readable.from([Buffer.alloc(3 * MiB)]), 'f.bin');
      const avbl = await client.send('AVBL');
      expect(avbl.code).toBe(213);
      expect(avbl.message).toBe(`213 ${5 * MiB}`);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('refuses downloads over the download quota: 451 mid-transfer, 550 once used up', async () => {
    const user = await createFtpUser(ds);
    const home = path.join(root, user.homeDir);
    await mkdir(home, { recursive: true });
    await writeFile(path.join(home, 'data.bin'), randomBytes(3 * MiB));
    const server = await serve(user.id, user.homeDir, { downloadQuotaBytes: 4 * MiB });
    const client = await connect(server.port);
    const sink = () =>
      new Writable({
        write: (_chunk, _enc, callback) => callback(),
      });
    try {
      await client.downloadTo(sink(), 'data.bin');
      expect((await usageOf(ds, user.id)).periodDownloadBytes).toBe(3 * MiB);
      expect(await replyCode(client.downloadTo(sink(), 'data.bin'))).toBe(451);
      // Only what was really sent counts: the refused step was not charged.
      expect((await usageOf(ds, user.id)).periodDownloadBytes).toBeLessThanOrEqual(4 * MiB);
      await ds.query(`UPDATE usage SET period_download_bytes = $2 WHERE ftp_user_id = $1`, [
        user.id,
        4 * MiB,
      ]);
      expect(await replyCode(client.downloadTo(sink(), 'data.bin'))).toBe(550);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('keeps two workers uploading for one user within the quota together', async () => {
    const user = await createFtpUser(ds);
    const quota = { quotaBytes: 12 * MiB };
    const a = await serve(user.id, user.homeDir, quota, `w-a-${randomUUID().slice(0, 6)}`);
    const b = await serve(user.id, user.homeDir, quota, `w-b-${randomUUID().slice(0, 6)}`);
    const ra = await RawFtp.login(a.port);
    const rb = await RawFtp.login(b.port);
    try {
      const replies = await Promise.all([
        ra.store('one.bin', randomBytes(8 * MiB)),
        rb.store('two.bin', randomBytes(8 * MiB)),
      ]);
      expect(replies.map((r) => r.code).sort()).toEqual([226, 552]);
      const usage = await usageOf(ds, user.id);
      expect(usage.usedBytes).toBe(8 * MiB);
      expect(usage.usedBytes).toBeLessThanOrEqual(quota.quotaBytes);
      expect(usage).toMatchObject({ usedFiles: 1, reservedBytes: 0, reservedFiles: 0 });
      expect(await readdir(path.join(root, user.homeDir))).toHaveLength(1);
    } finally {
      ra.close();
      rb.close();
      await a.close();
      await b.close();
    }
  });
});
