import { Inject, Injectable } from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import {
  FtpServer,
  generateSelfSignedCertificate,
  ServerWorkerAssignment,
  WorkerNode,
} from '@wharf/database';
import { DataSource, type EntityManager, In } from 'typeorm';

import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { type FieldError, notFound, validationFailed } from '../common/errors';
import { Paginated, parseListQuery } from '../common/list-query';
import { WHARF_CONFIG } from '../config.token';
import { WorkerNudgesService } from '../ftp-shared/worker-nudges.service';
import { workerLiveness } from '../workers/worker-status';
import type {
  CreateServerDto,
  ServerStatusView,
  ServerView,
  UpdateServerDto,
} from './dto/server.dto';
import { describeCertificate, tlsMaterialProblems } from './tls-material';

const TARGET = 'server';

export const SERVER_SORTABLE = ['name', 'port', 'tlsMode', 'enabled', 'createdAt', 'updatedAt'];

const SORT_COLUMNS: Record<string, string> = {
  name: 'lower(s.name)',
  port: 's.port',
  tlsMode: 's.tls_mode',
  enabled: 's.enabled',
  createdAt: 's.created_at',
  updatedAt: 's.updated_at',
};

/** Fields copied from a DTO onto the entity as they are. */
const PLAIN_FIELDS = [
  'name',
  'bindAddress',
  'port',
  'tlsMode',
  'requireTls',
  'requireTlsSessionReuse',
  'passivePortMin',
  'passivePortMax',
  'publicHost',
  'banner',
  'loginTimeoutS',
  'idleTimeoutS',
  'maxConnections',
  'maxConnectionsPerIp',
  'uploadBandwidth',
  'downloadBandwidth',
  'fsyncUploads',
  'uploadSha256',
  'enabled',
] as const;

/** Audit snapshot: the certificate by fingerprint, the key never (only that it changed). */
function snapshot(s: FtpServer, workerIds: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of PLAIN_FIELDS) out[f] = s[f];
  out.certificateFingerprint256 = describeCertificate(s.certPem)?.fingerprint256 ?? null;
  out.workerIds = [...workerIds].sort();
  return out;
}

@Injectable()
export class ServersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly nudges: WorkerNudgesService,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  async list(query: Record<string, unknown>): Promise<Paginated<ServerView>> {
    const q = parseListQuery(query, {
      sortable: SERVER_SORTABLE,
      defaultSort: 'name',
      filters: { name: 'string', enabled: 'boolean', tlsMode: 'string', workerId: 'string' },
    });
    const qb = this.dataSource.getRepository(FtpServer).createQueryBuilder('s');
    if (q.q) {
      qb.andWhere(`s.name ILIKE :q ESCAPE '\\'`, {
        q: `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    if (q.ids.length) qb.andWhere('s.id IN (:...ids)', { ids: q.ids });
    const f = q.filters;
    if (typeof f.name === 'string') qb.andWhere('lower(s.name) = lower(:name)', { name: f.name });
    if (typeof f.enabled === 'boolean') qb.andWhere('s.enabled = :enabled', { enabled: f.enabled });
    if (typeof f.tlsMode === 'string') qb.andWhere('s.tls_mode = :tlsMode', { tlsMode: f.tlsMode });
    if (typeof f.workerId === 'string') {
      // The servers this worker runs: assigned to it, or assigned to nobody.
      qb.andWhere(
        `(EXISTS (SELECT 1 FROM server_workers a WHERE a.server_id = s.id AND a.worker_id = :workerId)
          OR NOT EXISTS (SELECT 1 FROM server_workers a WHERE a.server_id = s.id))`,
        { workerId: f.workerId },
      );
    }
    qb.orderBy(SORT_COLUMNS[q.sort]!, q.order).addOrderBy('s.id', 'ASC').skip(q.skip).take(q.take);
    const [servers, total] = await qb.getManyAndCount();
    return new Paginated(await this.views(this.dataSource.manager, servers), total);
  }

  async get(id: string): Promise<ServerView> {
    const server = await this.dataSource.getRepository(FtpServer).findOneBy({ id });
    if (!server) throw notFound('Server');
    return (await this.views(this.dataSource.manager, [server]))[0]!;
  }

  async create(dto: CreateServerDto, actor: Actor): Promise<ServerView> {
    const server = this.dataSource.getRepository(FtpServer).create({
      ...this.defaults(),
      certPem: null,
      keyPem: null,
    });
    await this.apply(server, dto);
    const workerIds = dto.workerIds ?? [];
    const view = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(server);
      await this.setWorkers(manager, saved.id, workerIds);
      await this.audit.record(manager, actor, {
        action: 'create',
        targetType: TARGET,
        targetId: saved.id,
        before: null,
        after: { ...snapshot(saved, workerIds), ...(saved.keyPem ? { keyPem: 'set' } : {}) },
      });
      return (await this.views(manager, [saved]))[0]!;
    });
    await this.nudges.serverChanged(view.id, workerIds, workerIds);
    return view;
  }

  async update(
    id: string,
    dto: UpdateServerDto | CreateServerDto,
    actor: Actor,
    mode: 'patch' | 'put',
  ): Promise<ServerView> {
    let workersBefore: string[] = [];
    const view = await this.dataSource.transaction(async (manager) => {
      const server = await manager.findOne(FtpServer, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!server) throw notFound('Server');
      const beforeWorkers = await this.workerIdsOf(manager, [id]);
      workersBefore = beforeWorkers.get(id) ?? [];
      const before = snapshot(server, workersBefore);
      const beforeKey = server.keyPem;
      if (mode === 'put') {
        // PUT: what the body omits returns to its default; the TLS pair is kept
        // unless replaced or cleared explicitly (secrets are never echoed back to resend).
        Object.assign(server, this.defaults());
      }
      await this.apply(server, dto);
      await manager.save(server);
      const workerIds = dto.workerIds ?? (mode === 'put' ? [] : undefined);
      if (workerIds) {
        await manager.delete(ServerWorkerAssignment, { serverId: id });
        await this.setWorkers(manager, id, workerIds);
      }
      const after = snapshot(server, workerIds ?? beforeWorkers.get(id) ?? []);
      if (server.keyPem !== beforeKey) after.keyPem = server.keyPem ? 'changed' : 'removed';
      await this.audit.record(manager, actor, {
        action: 'update',
        targetType: TARGET,
        targetId: id,
        before,
        after,
      });
      return (await this.views(manager, [server]))[0]!;
    });
    await this.nudges.serverChanged(id, workersBefore, view.workerIds);
    return view;
  }

  async remove(id: string, actor: Actor): Promise<void> {
    const assigned = await this.dataSource.transaction(async (manager) => {
      const server = await manager.findOne(FtpServer, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!server) throw notFound('Server');
      const workers = await this.workerIdsOf(manager, [id]);
      await manager.delete(FtpServer, { id });
      await this.audit.record(manager, actor, {
        action: 'delete',
        targetType: TARGET,
        targetId: id,
        before: snapshot(server, workers.get(id) ?? []),
        after: null,
      });
      return workers.get(id) ?? [];
    });
    await this.nudges.serverChanged(id, assigned, assigned);
  }

  /** Which workers should run this server and which of them say they do (worker meta.servers). */
  async status(id: string): Promise<ServerStatusView> {
    const manager = this.dataSource.manager;
    const server = await manager.findOneBy(FtpServer, { id });
    if (!server) throw notFound('Server');
    const assigned = (await this.workerIdsOf(manager, [id])).get(id) ?? [];
    const workers = assigned.length
      ? await manager.find(WorkerNode, { where: { id: In(assigned) } })
      : await manager.find(WorkerNode, { order: { id: 'ASC' } });
    const byId = new Map(workers.map((w) => [w.id, w]));
    const ids = assigned.length ? assigned : workers.map((w) => w.id);
    const now = new Date();
    return {
      serverId: id,
      enabled: server.enabled,
      runsOnAllWorkers: assigned.length === 0,
      workers: ids.map((wid) => {
        const w = byId.get(wid);
        if (!w) return { id: wid, hostname: null, status: 'unknown' as const, listening: null };
        const reported = (w.meta as { servers?: unknown }).servers;
        return {
          id: wid,
          hostname: w.hostname,
          status: workerLiveness(w.lastHeartbeatAt, this.config.worker.heartbeatSeconds, now),
          listening: Array.isArray(reported) ? reported.includes(id) : null,
        };
      }),
    };
  }

  /**
   * Applies a DTO to the entity and checks what a DTO alone cannot: port
   * range order, TLS material (parsed, matching, in date) and that TLS modes
   * and requireTls have a certificate to use.
   */
  /**
   * A server's settings when the body does not give them: on create, and on PUT
   * for what the body omits. The TLS pair is not here: PUT keeps it unless the
   * body replaces or clears it.
   */
  private defaults(): Omit<Partial<FtpServer>, 'certPem' | 'keyPem'> {
    return {
      bindAddress: '0.0.0.0',
      tlsMode: 'none',
      requireTls: false,
      requireTlsSessionReuse: false,
      passivePortMin: this.config.ftp.passivePorts.min,
      passivePortMax: this.config.ftp.passivePorts.max,
      publicHost: null,
      banner: null,
      loginTimeoutS: 30,
      idleTimeoutS: 300,
      maxConnections: null,
      maxConnectionsPerIp: null,
      uploadBandwidth: null,
      downloadBandwidth: null,
      fsyncUploads: true,
      uploadSha256: true,
      enabled: true,
    };
  }

  private async apply(server: FtpServer, dto: UpdateServerDto): Promise<void> {
    const errors: FieldError[] = [];
    for (const f of PLAIN_FIELDS) {
      if (dto[f] !== undefined) (server as unknown as Record<string, unknown>)[f] = dto[f];
    }
    if (dto.generateSelfSigned && (dto.certPem || dto.keyPem)) {
      errors.push({
        field: 'generateSelfSigned',
        message: 'generateSelfSigned cannot be combined with certPem/keyPem',
      });
    }
    if (dto.certPem !== undefined) server.certPem = dto.certPem;
    if (dto.keyPem !== undefined) server.keyPem = dto.keyPem;
    const pemChanged = dto.certPem !== undefined || dto.keyPem !== undefined;
    if (server.passivePortMin > server.passivePortMax) {
      errors.push({
        field: 'passivePortMax',
        message: `passivePortMax (${server.passivePortMax}) must not be less than passivePortMin (${server.passivePortMin})`,
      });
    }
    if (pemChanged && !dto.generateSelfSigned) {
      if (server.certPem && !server.keyPem) {
        errors.push({ field: 'keyPem', message: 'keyPem is required with certPem' });
      } else if (!server.certPem && server.keyPem) {
        errors.push({ field: 'certPem', message: 'certPem is required with keyPem' });
      } else if (server.certPem && server.keyPem) {
        errors.push(...tlsMaterialProblems(server.certPem, server.keyPem));
      }
    }
    const hasPair = Boolean((server.certPem && server.keyPem) || dto.generateSelfSigned);
    if (server.tlsMode !== 'none' && !hasPair) {
      errors.push({
        field: 'certPem',
        message: `tlsMode ${server.tlsMode} needs a certificate: give certPem and keyPem or generateSelfSigned: true`,
      });
    }
    if (server.tlsMode === 'none' && server.requireTls) {
      errors.push({
        field: 'requireTls',
        message: 'requireTls needs tlsMode explicit or implicit',
      });
    }
    if (server.tlsMode === 'none' && server.requireTlsSessionReuse) {
      errors.push({
        field: 'requireTlsSessionReuse',
        message: 'requireTlsSessionReuse needs tlsMode explicit or implicit',
      });
    }
    if (errors.length) throw validationFailed(errors);
    if (dto.generateSelfSigned) {
      const host = server.publicHost ?? this.config.ftp.publicHost ?? 'localhost';
      const pair = await generateSelfSignedCertificate({ commonName: host });
      server.certPem = pair.certPem;
      server.keyPem = pair.keyPem;
    }
  }

  private async setWorkers(manager: EntityManager, serverId: string, workerIds: string[]) {
    if (workerIds.length === 0) return;
    await manager.insert(
      ServerWorkerAssignment,
      workerIds.map((workerId) => ({ serverId, workerId })),
    );
  }

  private async workerIdsOf(manager: EntityManager, ids: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await manager.find(ServerWorkerAssignment, {
      where: { serverId: In(ids) },
      order: { workerId: 'ASC' },
    });
    for (const r of rows) out.get(r.serverId)?.push(r.workerId);
    return out;
  }

  private async views(manager: EntityManager, servers: FtpServer[]): Promise<ServerView[]> {
    const workers = await this.workerIdsOf(
      manager,
      servers.map((s) => s.id),
    );
    return servers.map((s) => ({
      id: s.id,
      name: s.name,
      bindAddress: s.bindAddress,
      port: s.port,
      tlsMode: s.tlsMode,
      certPem: s.certPem,
      certificate: describeCertificate(s.certPem),
      hasPrivateKey: s.keyPem !== null,
      requireTls: s.requireTls,
      requireTlsSessionReuse: s.requireTlsSessionReuse,
      passivePortMin: s.passivePortMin,
      passivePortMax: s.passivePortMax,
      publicHost: s.publicHost,
      banner: s.banner,
      loginTimeoutS: s.loginTimeoutS,
      idleTimeoutS: s.idleTimeoutS,
      maxConnections: s.maxConnections,
      maxConnectionsPerIp: s.maxConnectionsPerIp,
      uploadBandwidth: s.uploadBandwidth,
      downloadBandwidth: s.downloadBandwidth,
      fsyncUploads: s.fsyncUploads,
      uploadSha256: s.uploadSha256,
      enabled: s.enabled,
      workerIds: workers.get(s.id) ?? [],
      createdAt: s.createdAt.toISOString(),
      updatedAt: s.updatedAt.toISOString(),
    }));
  }
}
