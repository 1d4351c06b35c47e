import type { FtpServer as FtpServerRow } from '@wharf/database';

import { planReconcile, toListenerSpec } from './listener-spec';

function row(overrides: Partial<FtpServerRow> = {}): FtpServerRow {
  return {
    id: 'srv-1',
    name: 'demo',
    bindAddress: '127.0.0.1',
    port: 2121,
    tlsMode: 'explicit',
    certPem: 'CERT',
    keyPem: 'KEY',
    requireTls: false,
    requireTlsSessionReuse: false,
    passivePortMin: 30000,
    passivePortMax: 30099,
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
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  };
}

describe('toListenerSpec', () => {
  it('maps the row to engine options', () => {
    const spec = toListenerSpec(row({ maxConnections: 10, loginTimeoutS: 5, banner: 'Hi' }));
    expect(spec).toMatchObject({
      host: '127.0.0.1',
      port: 2121,
      tlsMode: 'explicit',
      tls: { cert: 'CERT', key: 'KEY' },
      passivePorts: { min: 30000, max: 30099 },
      loginTimeoutMs: 5000,
      idleTimeoutMs: 300_000,
      maxSessions: 10,
      maxSessionsPerIp: 0,
      banner: 'Hi',
    });
  });

  it('maps the server bandwidth caps; null and 0 are no cap', () => {
    expect(
      toListenerSpec(row({ uploadBandwidth: 65536, downloadBandwidth: 131072 })).bandwidth,
    ).toEqual({ upload: 65536, download: 131072 });
    expect(toListenerSpec(row({ uploadBandwidth: 0, downloadBandwidth: null })).bandwidth).toEqual(
      {},
    );
  });

  it("carries the server's fsync-uploads setting", () => {
    expect(toListenerSpec(row()).fsyncUploads).toBe(true);
    expect(toListenerSpec(row({ fsyncUploads: false })).fsyncUploads).toBe(false);
  });

  it("carries the server's upload SHA-256 setting", () => {
    expect(toListenerSpec(row()).uploadSha256).toBe(true);
    expect(toListenerSpec(row({ uploadSha256: false })).uploadSha256).toBe(false);
  });

  it('has no TLS material when the mode is none', () => {
    expect(toListenerSpec(row({ tlsMode: 'none' })).tls).toBeNull();
  });

  it('changes only the certificate key when only the PEMs change', () => {
    const a = toListenerSpec(row());
    const b = toListenerSpec(row({ certPem: 'CERT2', keyPem: 'KEY2' }));
    expect(b.restartKey).toBe(a.restartKey);
    expect(b.certificateKey).not.toBe(a.certificateKey);
  });

  it('changes the restart key for listener settings', () => {
    const a = toListenerSpec(row());
    for (const change of [
      { port: 2122 },
      { bindAddress: '0.0.0.0' },
      { tlsMode: 'implicit' as const },
      { requireTls: true },
      { passivePortMax: 30100 },
      { publicHost: 'ftp.example.com' },
      { idleTimeoutS: 60 },
      { maxConnectionsPerIp: 2 },
      { uploadBandwidth: 1024 },
      { downloadBandwidth: 2048 },
      { fsyncUploads: false },
      { uploadSha256: false },
    ]) {
      expect(toListenerSpec(row(change)).restartKey).not.toBe(a.restartKey);
    }
  });
});

describe('planReconcile', () => {
  const a = toListenerSpec(row({ id: 'a' }));
  const b = toListenerSpec(row({ id: 'b', port: 2122 }));

  it('starts new and failed listeners, stops removed ones', () => {
    const plan = planReconcile(
      new Map([
        ['a', null],
        ['gone', b],
      ]),
      [a, b],
    );
    expect(plan.start.map((s) => s.serverId).sort()).toEqual(['a', 'b']);
    expect(plan.stop).toEqual(['gone']);
  });

  it('restarts on a changed setting and swaps a changed certificate', () => {
    const moved = toListenerSpec(row({ id: 'a', port: 2999 }));
    const recert = toListenerSpec(row({ id: 'b', port: 2122, certPem: 'NEW' }));
    const plan = planReconcile(
      new Map([
        ['a', a],
        ['b', b],
      ]),
      [moved, recert],
    );
    expect(plan.restart).toEqual([moved]);
    expect(plan.swapCertificate).toEqual([recert]);
    expect(plan.start).toEqual([]);
    expect(plan.stop).toEqual([]);
  });

  it('does nothing when nothing changed', () => {
    expect(planReconcile(new Map([['a', a]]), [a])).toEqual({
      start: [],
      restart: [],
      swapCertificate: [],
      stop: [],
    });
  });
});
