import type { DataSource } from 'typeorm';

import { FtpServer } from '../entities/ftp-server.entity';
import { generateSelfSignedCertificate } from '../tls/self-signed-certificate';

export interface DemoServerOptions {
  port: number;
  passivePorts: { min: number; max: number };
  publicHost?: string | undefined;
  bindAddress?: string | undefined;
}

export type DemoServerSeedResult =
  | { created: true; serverId: string; name: string; port: number; tlsMode: 'explicit' }
  | { created: false; reason: 'servers-exist'; existing: number };

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
  const existing = await dataSource.getRepository(FtpServer).count();
  if (existing > 0) return { created: false, reason: 'servers-exist', existing };

  const host = options.publicHost ?? 'localhost';
  const pair = await generateSelfSignedCertificate({ commonName: host });
  return dataSource.transaction(async (manager) => {
    // Re-check inside the transaction under a lock so two processes starting
    // at once do not both seed.
    await manager.query(`LOCK TABLE servers IN SHARE ROW EXCLUSIVE MODE`);
    const count = await manager.count(FtpServer);
    if (count > 0) return { created: false, reason: 'servers-exist', existing: count } as const;
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
      tlsMode: 'explicit',
    } as const;
  });
}
