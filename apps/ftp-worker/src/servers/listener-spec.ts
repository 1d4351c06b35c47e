import { createHash } from 'node:crypto';

import type { FtpServer as FtpServerRow } from '@wharf/database';
import type { TlsMode } from '@wharf/ftp-protocol';

/** What one engine listener is started with, computed from a `servers` row. */
export interface ListenerSpec {
  serverId: string;
  name: string;
  host: string;
  port: number;
  tlsMode: TlsMode;
  tls: { cert: string; key: string } | null;
  requireTls: boolean;
  requireTlsSessionReuse: boolean;
  passivePorts: { min: number; max: number };
  publicHost: string | undefined;
  banner: string | undefined;
  loginTimeoutMs: number;
  idleTimeoutMs: number;
  maxSessions: number;
  maxSessionsPerIp: number;
  /** Server-wide caps in bytes/s, shared by the listener's sessions (unset = none). */
  bandwidth: { upload?: number; download?: number };
  /** fsync every upload before its 226 (servers.fsync_uploads); part of the restart key. */
  fsyncUploads: boolean;
  /** SHA-256 of each upload for its event (servers.upload_sha256); part of the restart key. */
  uploadSha256: boolean;
  /** Equal keys = the running listener can stay; a different key needs a restart. */
  restartKey: string;
  /** Equal keys = same certificate and key; different = hot swap (updateTls). */
  certificateKey: string;
}

export function toListenerSpec(row: FtpServerRow): ListenerSpec {
  const tls =
    row.tlsMode !== 'none' && row.certPem && row.keyPem
      ? { cert: row.certPem, key: row.keyPem }
      : null;
  const spec: Omit<ListenerSpec, 'restartKey' | 'certificateKey'> = {
    serverId: row.id,
    name: row.name,
    host: row.bindAddress,
    port: row.port,
    tlsMode: row.tlsMode,
    tls,
    requireTls: row.requireTls,
    requireTlsSessionReuse: row.requireTlsSessionReuse,
    passivePorts: { min: row.passivePortMin, max: row.passivePortMax },
    publicHost: row.publicHost ?? undefined,
    banner: row.banner ?? undefined,
    loginTimeoutMs: row.loginTimeoutS * 1000,
    idleTimeoutMs: row.idleTimeoutS * 1000,
    maxSessions: row.maxConnections ?? 0,
    maxSessionsPerIp: row.maxConnectionsPerIp ?? 0,
    bandwidth: {
      ...(row.uploadBandwidth ? { upload: row.uploadBandwidth } : {}),
      ...(row.downloadBandwidth ? { download: row.downloadBandwidth } : {}),
    },
    fsyncUploads: row.fsyncUploads,
    uploadSha256: row.uploadSha256,
  };
  // Everything but the PEMs lives in the engine's constructor options, so any change restarts.
  const { tls: _material, ...restartRelevant } = spec;
  return {
    ...spec,
    restartKey: JSON.stringify({ ...restartRelevant, hasTls: tls !== null }),
    certificateKey: tls
      ? createHash('sha256').update(tls.cert).update('\0').update(tls.key).digest('hex')
      : '',
  };
}

export interface ReconcilePlan {
  start: ListenerSpec[];
  restart: ListenerSpec[];
  swapCertificate: ListenerSpec[];
  stop: string[];
}

/**
 * Level-triggered: compares what runs with what the database says should
 * run and returns the actions. `running` maps server id to the spec the
 * listener was started with, or null when it failed to start (it is tried
 * again as a start).
 */
export function planReconcile(
  running: ReadonlyMap<string, ListenerSpec | null>,
  desired: readonly ListenerSpec[],
): ReconcilePlan {
  const plan: ReconcilePlan = { start: [], restart: [], swapCertificate: [], stop: [] };
  const wanted = new Set(desired.map((s) => s.serverId));
  for (const spec of desired) {
    if (!running.has(spec.serverId)) plan.start.push(spec);
    else {
      const current = running.get(spec.serverId) ?? null;
      if (current === null) plan.start.push(spec);
      else if (current.restartKey !== spec.restartKey) plan.restart.push(spec);
      else if (current.certificateKey !== spec.certificateKey) plan.swapCertificate.push(spec);
    }
  }
  for (const id of running.keys()) if (!wanted.has(id)) plan.stop.push(id);
  return plan;
}
