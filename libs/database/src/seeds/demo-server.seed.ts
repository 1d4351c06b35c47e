import type { DataSource, EntityManager } from 'typeorm';

import { FtpServer, type TlsMode } from '../entities/ftp-server.entity';
import { generateSelfSignedCertificate } from '../tls/self-signed-certificate';

export interface DemoServerOptions {
  port: number;
  passivePorts: { min: number; max: number };
  publicHost?: string | undefined;
  bindAddress?: string | undefined;
}

/**
 * What the seed did. When servers already exist, name/port/tlsMode describe
 * the oldest one, so a start-up banner can still say where FTP listens.
 */
export type DemoServerSeedResult =
  | { created: true; serverId: string; name: string; port: number; tlsMode: TlsMode }
  | {
      created: false;
      reason: 'servers-exist';
      existing: number;
      serverId: string;
      name: string;
      port: number;
      tlsMode: TlsMode;
    };

export const DEMO_SERVER_NAME = 'demo';

/**
 * First-start convenience: when no server is configured at all, create one
 * named `demo` on the configured port, plain FTP with explicit FTPS available
 * (AUTH TLS) through a generated self-signed certificate. Never touches an
 * existing configuration, so re-running it on every start is safe.
 */
export async function seedDemoServer(
  dataSource: DataSource,
  options: DemoServerOptions,
): Promise<DemoServerSeedResult> {
  const existing = await describeExisting(dataSource.manager);
  if (existing) return existing;

  const host = options.publicHost ?? 'localhost';
  const pair = await generateSelfSignedCertificate({ commonName: host });
  return dataSource.transaction(async (manager) => {
    // Re-check inside the transaction under a lock so two processes starting
    // at once do not both seed.
    await manager.query(`LOCK TABLE servers IN SHARE ROW EXCLUSIVE MODE`);
    const raced = await describeExisting(manager);
    if (raced) return raced;
    const server = manager.create(FtpServer, {
      name: DEMO_SERVER_NAME,
      bindAddress: options.bindAddress ?? '0.0.0.0',
      port: options.port,
      tlsMode: 'explicit',
      certPem: pair.certPem,
      keyPem: pair.keyPem,
      requireTls: false,
      requireTlsSessionReuse: false,
      passivePortMin: options.passivePorts.min,
      passivePortMax: options.passivePorts.max,
      publicHost: options.publicHost ?? null,
      banner: 'Wharf demo FTP server',
      enabled: true,
    });
    const saved = await manager.save(server);
    return {
      created: true,
      serverId: saved.id,
      name: saved.name,
      port: saved.port,
      tlsMode: saved.tlsMode,
    } as const;
  });
}

async function describeExisting(manager: EntityManager): Promise<DemoServerSeedResult | null> {
  const count = await manager.count(FtpServer);
  if (count === 0) return null;
  const [oldest] = await manager.find(FtpServer, { order: { createdAt: 'ASC' }, take: 1 });
  return {
    created: false,
    reason: 'servers-exist',
    existing: count,
    serverId: oldest!.id,
    name: oldest!.name,
    port: oldest!.port,
    tlsMode: oldest!.tlsMode,
  };
}
