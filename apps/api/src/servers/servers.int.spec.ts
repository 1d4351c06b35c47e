import { createHash, X509Certificate } from 'node:crypto';

import { AdminRole } from '@wharf/contracts';
import {
  AdminAuditLogEntity,
  FtpServer,
  generateSelfSignedCertificate,
  WorkerNode,
} from '@wharf/database';
import { generate } from 'selfsigned';

import { type ApiTestApp, createApiTestApp } from '../testing/api-test-app';

/** Every body field stored in a NOT NULL column: null is a 400 for each, on create and PATCH. */
const NOT_NULL_FIELDS = [
  'name',
  'port',
  'bindAddress',
  'tlsMode',
  'requireTls',
  'requireTlsSessionReuse',
  'passivePortMin',
  'passivePortMax',
  'loginTimeoutS',
  'idleTimeoutS',
  'fsyncUploads',
  'uploadSha256',
  'enabled',
];

describe('/api/v1/servers', () => {
  let t: ApiTestApp;
  let admin: string;
  let pair: { certPem: string; keyPem: string };
  let otherPair: { certPem: string; keyPem: string };
  let expired: { certPem: string; keyPem: string };
  let n = 0;
  const name = () => `s${process.pid}x${Date.now().toString(36)}${n++}`;
  /** A port no other suite of this run uses (servers are unique on bind address + port). */
  let nextPort = 20000 + (process.pid % 20000);
  const port = () => nextPort++;

  beforeAll(async () => {
    t = await createApiTestApp();
    admin = t.tokens[AdminRole.Admin];
    pair = await generateSelfSignedCertificate({ commonName: 'ftp.test' });
    otherPair = await generateSelfSignedCertificate({ commonName: 'other.test' });
    const old = await generate([{ name: 'commonName', value: 'old.test' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: new Date('2020-01-01T00:00:00Z'),
      notAfterDate: new Date('2021-01-01T00:00:00Z'),
    });
    expired = { certPem: old.cert, keyPem: old.private };
  });

  afterAll(async () => {
    await t?.close();
  });

  const create = (body: Record<string, unknown>, token = admin) =>
    t.request('POST', '/api/v1/servers', { token, body });

  const expect400 = (
    res: { status: number; body: { errors?: { field: string }[] } },
    field: string,
  ) => {
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, message: 'Validation failed' });
    expect(res.body.errors?.map((e) => e.field)).toContain(field);
  };

  const noKey = (body: unknown) => {
    const text = JSON.stringify(body);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toMatch(/keyPem/);
  };

  it('creates a plain server with defaults from the config', async () => {
    const res = await create({ name: name(), port: port() });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      bindAddress: '0.0.0.0',
      tlsMode: 'none',
      certPem: null,
      certificate: null,
      hasPrivateKey: false,
      passivePortMin: t.config.ftp.passivePorts.min,
      passivePortMax: t.config.ftp.passivePorts.max,
      loginTimeoutS: 30,
      idleTimeoutS: 300,
      enabled: true,
      workerIds: [],
    });
  });

  it('stores a valid PEM pair for explicit FTPS, never returns the key, reports the certificate', async () => {
    const res = await create({
      name: name(),
      port: port(),
      tlsMode: 'explicit',
      requireTls: true,
      requireTlsSessionReuse: true,
      ...pair,
      passivePortMin: 40000,
      passivePortMax: 40010,
      publicHost: 'ftp.example.com',
      banner: 'Hello',
      maxConnections: 100,
      maxConnectionsPerIp: 5,
      workerIds: ['worker-a', 'worker-b'],
    });
    expect(res.status).toBe(201);
    noKey(res.body);
    const cert = new X509Certificate(pair.certPem);
    expect(res.body).toMatchObject({
      tlsMode: 'explicit',
      hasPrivateKey: true,
      certPem: pair.certPem,
      certificate: {
        fingerprint256: cert.fingerprint256,
        subject: 'CN=ftp.test',
        selfSigned: true,
      },
      workerIds: ['worker-a', 'worker-b'],
    });
    const stored = await t.dataSource.getRepository(FtpServer).findOneByOrFail({ id: res.body.id });
    expect(stored.keyPem).toBe(pair.keyPem);

    for (const url of ['/api/v1/servers', `/api/v1/servers/${res.body.id}`]) {
      noKey((await t.request('GET', url, { token: admin })).body);
    }
  });

  it('generates a self-signed pair on request', async () => {
    const res = await create({
      name: name(),
      port: port(),
      tlsMode: 'implicit',
      generateSelfSigned: true,
      publicHost: 'gen.example.com',
    });
    expect(res.status).toBe(201);
    noKey(res.body);
    expect(res.body.hasPrivateKey).toBe(true);
    expect(res.body.certificate.subject).toBe('CN=gen.example.com');
    const stored = await t.dataSource.getRepository(FtpServer).findOneByOrFail({ id: res.body.id });
    const cert = new X509Certificate(stored.certPem!);
    expect(createHash('sha256').update(cert.raw).digest('hex')).toHaveLength(64);
    expect(stored.keyPem).toContain('PRIVATE KEY');
  });

  it.each([
    [
      'bad PEM certificate',
      () => ({ tlsMode: 'explicit', certPem: 'garbage', keyPem: pair.keyPem }),
      'certPem',
    ],
    [
      'bad PEM key',
      () => ({
        tlsMode: 'explicit',
        certPem: pair.certPem,
        keyPem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
      }),
      'keyPem',
    ],
    [
      'key not matching the certificate',
      () => ({ tlsMode: 'explicit', certPem: pair.certPem, keyPem: otherPair.keyPem }),
      'keyPem',
    ],
    ['expired certificate', () => ({ tlsMode: 'explicit', ...expired }), 'certPem'],
    ['certificate without key', () => ({ certPem: pair.certPem }), 'keyPem'],
    ['explicit TLS without a certificate', () => ({ tlsMode: 'explicit' }), 'certPem'],
    ['implicit TLS without a certificate', () => ({ tlsMode: 'implicit' }), 'certPem'],
    ['requireTls without TLS', () => ({ requireTls: true }), 'requireTls'],
    [
      'generateSelfSigned together with a PEM',
      () => ({ generateSelfSigned: true, ...pair }),
      'generateSelfSigned',
    ],
    [
      'inverted passive port range',
      () => ({ passivePortMin: 40010, passivePortMax: 40000 }),
      'passivePortMax',
    ],
    [
      'passive port below 1024',
      () => ({ passivePortMin: 80, passivePortMax: 90 }),
      'passivePortMin',
    ],
    [
      'passive port above 65535',
      () => ({ passivePortMin: 40000, passivePortMax: 70000 }),
      'passivePortMax',
    ],
    ['port 0', () => ({ port: 0 }), 'port'],
    ['port above 65535', () => ({ port: 65536 }), 'port'],
    ['bad tlsMode', () => ({ tlsMode: 'ssl' }), 'tlsMode'],
    ['bad bind address', () => ({ bindAddress: 'everywhere' }), 'bindAddress'],
    ['bad public host', () => ({ publicHost: 'not a host' }), 'publicHost'],
    [
      'banner with a line break (reply injection)',
      () => ({ banner: 'hi\r\n230 logged in' }),
      'banner',
    ],
    ['zero login timeout', () => ({ loginTimeoutS: 0 }), 'loginTimeoutS'],
    ['negative max connections', () => ({ maxConnections: -1 }), 'maxConnections'],
    ['negative upload bandwidth', () => ({ uploadBandwidth: -1 }), 'uploadBandwidth'],
    ['fractional download bandwidth', () => ({ downloadBandwidth: 1.5 }), 'downloadBandwidth'],
    ['download bandwidth as a string', () => ({ downloadBandwidth: '1M' }), 'downloadBandwidth'],
    ['fsyncUploads as a string', () => ({ fsyncUploads: 'no' }), 'fsyncUploads'],
    ['fsyncUploads null', () => ({ fsyncUploads: null }), 'fsyncUploads'],
    ['uploadSha256 as a string', () => ({ uploadSha256: 'yes' }), 'uploadSha256'],
    ['uploadSha256 null', () => ({ uploadSha256: null }), 'uploadSha256'],
    ['bad worker id', () => ({ workerIds: ['Worker A'] }), 'workerIds'],
    ['bad name', () => ({ name: 'no spaces allowed' }), 'name'],
    ['unknown field', () => ({ listenBacklog: 5 }), 'listenBacklog'],
    ['mass assignment of id', () => ({ id: '00000000-0000-4000-8000-000000000000' }), 'id'],
    ['mass assignment of hasPrivateKey', () => ({ hasPrivateKey: true }), 'hasPrivateKey'],
    ['mass assignment of createdAt', () => ({ createdAt: '2000-01-01T00:00:00Z' }), 'createdAt'],
  ])('refuses %s with 400 naming the field', async (_what, override, field) => {
    const serverName = name();
    expect400(await create({ name: serverName, port: port(), ...override() }), field);
    expect(await t.dataSource.getRepository(FtpServer).countBy({ name: serverName })).toBe(0);
  });

  it('stores, returns, changes and clears the server bandwidth caps', async () => {
    const created = await create({
      name: name(),
      port: port(),
      uploadBandwidth: 1048576,
      downloadBandwidth: 2097152,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ uploadBandwidth: 1048576, downloadBandwidth: 2097152 });
    const id = created.body.id as string;
    const stored = await t.dataSource.getRepository(FtpServer).findOneByOrFail({ id });
    expect(stored).toMatchObject({ uploadBandwidth: 1048576, downloadBandwidth: 2097152 });

    const patched = await t.request('PATCH', `/api/v1/servers/${id}`, {
      token: admin,
      body: { uploadBandwidth: null, downloadBandwidth: 65536 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ uploadBandwidth: null, downloadBandwidth: 65536 });
    expect400(
      await t.request('PATCH', `/api/v1/servers/${id}`, {
        token: admin,
        body: { uploadBandwidth: -5 },
      }),
      'uploadBandwidth',
    );
    const read = await t.request('GET', `/api/v1/servers/${id}`, { token: admin });
    expect(read.body).toMatchObject({ uploadBandwidth: null, downloadBandwidth: 65536 });
    const plain = await create({ name: name(), port: port() });
    expect(plain.body).toMatchObject({ uploadBandwidth: null, downloadBandwidth: null });
  });

  it('fsyncs uploads unless a server is told not to, and changes the setting', async () => {
    const durable = await create({ name: name(), port: port() });
    expect(durable.status).toBe(201);
    expect(durable.body).toMatchObject({ fsyncUploads: true });
    const created = await create({ name: name(), port: port(), fsyncUploads: false });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ fsyncUploads: false });
    const id = created.body.id as string;
    expect(await t.dataSource.getRepository(FtpServer).findOneByOrFail({ id })).toMatchObject({
      fsyncUploads: false,
    });
    const patched = await t.request('PATCH', `/api/v1/servers/${id}`, {
      token: admin,
      body: { fsyncUploads: true },
    });
    expect(patched.status).toBe(200);
    const read = await t.request('GET', `/api/v1/servers/${id}`, { token: admin });
    expect(read.body).toMatchObject({ fsyncUploads: true });
  });

  it('hashes uploads unless a server is told not to, and changes the setting', async () => {
    const hashed = await create({ name: name(), port: port() });
    expect(hashed.status).toBe(201);
    expect(hashed.body).toMatchObject({ uploadSha256: true });
    const created = await create({ name: name(), port: port(), uploadSha256: false });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ uploadSha256: false });
    const id = created.body.id as string;
    const servers = t.dataSource.getRepository(FtpServer);
    expect(await servers.findOneByOrFail({ id })).toMatchObject({ uploadSha256: false });
    const patch = (body: Record<string, unknown>) =>
      t.request('PATCH', `/api/v1/servers/${id}`, { token: admin, body });
    const on = await patch({ uploadSha256: true });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ uploadSha256: true });
    const off = await patch({ uploadSha256: false });
    expect(off.status).toBe(200);
    const read = await t.request('GET', `/api/v1/servers/${id}`, { token: admin });
    expect(read.body).toMatchObject({ uploadSha256: false });
    expect(await servers.findOneByOrFail({ id })).toMatchObject({ uploadSha256: false });
  });

  it('refuses a create with null for a NOT NULL field with 400 naming it, not a 500', async () => {
    for (const field of NOT_NULL_FIELDS.filter((f) => f !== 'name' && f !== 'port')) {
      expect400(await create({ name: name(), port: port(), [field]: null }), field);
    }
  });

  it('refuses a PATCH that nulls a NOT NULL field with 400 naming it, not a 500', async () => {
    const created = await create({ name: name(), port: port() });
    const id = created.body.id as string;
    for (const field of NOT_NULL_FIELDS) {
      const res = await t.request('PATCH', `/api/v1/servers/${id}`, {
        token: admin,
        body: { [field]: null },
      });
      expect400(res, field);
    }
    const read = await t.request('GET', `/api/v1/servers/${id}`, { token: admin });
    expect(read.body).toMatchObject({ ...created.body, updatedAt: expect.any(String) });
  });

  it('refuses a duplicate name (case-insensitively) or bind address + port with 409', async () => {
    const serverName = name();
    const p = port();
    expect((await create({ name: serverName, port: p })).status).toBe(201);
    const sameName = await create({ name: serverName.toUpperCase(), port: port() });
    expect(sameName.status).toBe(409);
    expect(sameName.body.field).toBe('name');
    const samePort = await create({ name: name(), port: p });
    expect(samePort.status).toBe(409);
    expect(samePort.body.field).toBe('bindAddress,port');
  });

  it('PATCH validates the merged result; PUT keeps the key unless replaced', async () => {
    const created = await create({ name: name(), port: port(), tlsMode: 'explicit', ...pair });
    const id = created.body.id as string;
    expect400(
      await t.request('PATCH', `/api/v1/servers/${id}`, {
        token: admin,
        body: { passivePortMin: 65000, passivePortMax: 64000 },
      }),
      'passivePortMax',
    );
    expect400(
      await t.request('PATCH', `/api/v1/servers/${id}`, {
        token: admin,
        body: { certPem: otherPair.certPem },
      }),
      'keyPem',
    );
    expect400(
      await t.request('PATCH', `/api/v1/servers/${id}`, {
        token: admin,
        body: { certPem: null, keyPem: null },
      }),
      'certPem',
    );
    const rotated = await t.request('PATCH', `/api/v1/servers/${id}`, {
      token: admin,
      body: otherPair,
    });
    expect(rotated.status).toBe(200);
    noKey(rotated.body);
    expect(rotated.body.certificate.subject).toBe('CN=other.test');

    const put = await t.request('PUT', `/api/v1/servers/${id}`, {
      token: admin,
      body: { name: created.body.name, port: created.body.port, tlsMode: 'implicit' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ tlsMode: 'implicit', hasPrivateKey: true, banner: null });
    const stored = await t.dataSource.getRepository(FtpServer).findOneByOrFail({ id });
    expect(stored.keyPem).toBe(otherPair.keyPem);
  });

  it('lists with X-Total-Count and filters; status shows assigned workers and what they report', async () => {
    const workerId = `worker-${process.pid}-${n++}`;
    const workerIdStale = `${workerId}-old`;
    const now = Date.now();
    await t.dataSource.getRepository(WorkerNode).insert([
      {
        id: workerId,
        hostname: 'h1',
        version: '0.1.0',
        startedAt: new Date(now - 60_000),
        lastHeartbeatAt: new Date(now),
        status: 'running',
        sessionCount: 0,
        meta: { servers: [] },
      },
      {
        id: workerIdStale,
        hostname: 'h2',
        version: '0.1.0',
        startedAt: new Date(now - 600_000),
        lastHeartbeatAt: new Date(now - 10 * 60_000),
        status: 'running',
        sessionCount: 0,
        meta: {},
      },
    ]);
    const created = await create({
      name: name(),
      port: port(),
      workerIds: [workerId, workerIdStale, 'worker-never-seen'],
    });
    const id = created.body.id as string;
    await t.dataSource
      .getRepository(WorkerNode)
      .update({ id: workerId }, { meta: { servers: [id] } });

    const status = await t.request('GET', `/api/v1/servers/${id}/status`, {
      token: t.tokens[AdminRole.Auditor],
    });
    expect(status.status).toBe(200);
    expect(status.body).toEqual({
      serverId: id,
      enabled: true,
      runsOnAllWorkers: false,
      workers: [
        { id: workerId, hostname: 'h1', status: 'online', listening: true },
        { id: workerIdStale, hostname: 'h2', status: 'stale', listening: null },
        { id: 'worker-never-seen', hostname: null, status: 'unknown', listening: null },
      ],
    });

    const list = await t.request(
      'GET',
      `/api/v1/servers?workerId=${workerId}&_sort=name&_start=0&_end=100`,
      { token: admin },
    );
    expect(list.status).toBe(200);
    expect(list.body.map((s: { id: string }) => s.id)).toContain(id);
    expect(Number(list.headers.get('x-total-count'))).toBe(list.body.length);

    const one = await t.request('GET', `/api/v1/servers?name=${created.body.name}`, {
      token: admin,
    });
    expect(one.headers.get('x-total-count')).toBe('1');
  });

  it('refuses every mutating route to auditors (403), allows reads; writes audit rows without the key', async () => {
    const auditor = t.tokens[AdminRole.Auditor];
    const created = await create(
      { name: name(), port: port(), tlsMode: 'explicit', ...pair },
      t.tokens[AdminRole.Superadmin],
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/v1/servers', { name: name(), port: port() }],
      ['PATCH', `/api/v1/servers/${id}`, { enabled: false }],
      ['PUT', `/api/v1/servers/${id}`, { name: name(), port: port() }],
      ['DELETE', `/api/v1/servers/${id}`, undefined],
    ];
    for (const [method, url, body] of attempts) {
      const res = await t.request(method, url, { token: auditor, body });
      expect([method, url, res.status]).toEqual([method, url, 403]);
    }
    for (const url of [
      '/api/v1/servers',
      `/api/v1/servers/${id}`,
      `/api/v1/servers/${id}/status`,
    ]) {
      expect((await t.request('GET', url, { token: auditor })).status).toBe(200);
    }

    expect(
      (await t.request('PATCH', `/api/v1/servers/${id}`, { token: admin, body: otherPair })).status,
    ).toBe(200);
    expect((await t.request('DELETE', `/api/v1/servers/${id}`, { token: admin })).status).toBe(204);
    expect((await t.request('GET', `/api/v1/servers/${id}`, { token: admin })).status).toBe(404);

    const rows = await t.dataSource.getRepository(AdminAuditLogEntity).find({
      where: { targetType: 'server', targetId: id },
      order: { at: 'ASC' },
    });
    expect(rows.map((r) => [r.action, r.actorRole])).toEqual([
      ['create', AdminRole.Superadmin],
      ['update', AdminRole.Admin],
      ['delete', AdminRole.Admin],
    ]);
    for (const row of rows) expect(JSON.stringify(row.changes)).not.toContain('PRIVATE KEY');
    expect(rows[1]!.changes.after).toMatchObject({
      keyPem: '[redacted]',
      certificateFingerprint256: new X509Certificate(otherPair.certPem).fingerprint256,
    });
  });
});
