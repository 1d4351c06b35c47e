import * as net from 'node:net';

import type { FtpServer as FtpServerRow } from '@wharf/database';
import type { FtpServer } from '@wharf/ftp-protocol';

import type { FtpLoginService, ServerStorage } from '../auth/ftp-login.service';
import type { EngineEventSinks } from '../events/engine-event-sink';
import { DEFAULT_WORKER_OPTIONS } from '../worker.tokens';
import { FtpListeners } from './ftp-listeners';
import { toListenerSpec } from './listener-spec';

const row = (overrides: Partial<FtpServerRow>): FtpServerRow =>
  ({
    id: 'srv',
    name: 'spec',
    bindAddress: '127.0.0.1',
    port: 0,
    tlsMode: 'none',
    certPem: null,
    keyPem: null,
    requireTls: false,
    requireTlsSessionReuse: false,
    passivePortMin: 41000,
    passivePortMax: 41010,
    publicHost: null,
    banner: 'spec banner',
    loginTimeoutS: 30,
    idleTimeoutS: 300,
    maxConnections: null,
    maxConnectionsPerIp: null,
    uploadBandwidth: null,
    downloadBandwidth: null,
    fsyncUploads: true,
    uploadSha256: true,
    enabled: true,
    ...overrides,
  }) as FtpServerRow;

describe('FtpListeners', () => {
  const forServer = jest.fn((_serverId: string, _storage?: ServerStorage) => ({
    authenticate: () => Promise.reject(new Error('not in this spec')),
  }));
  const login = { forServer } as unknown as FtpLoginService;
  const sinks = { forServer: () => ({ emit: () => undefined }) } as unknown as EngineEventSinks;
  let listeners: FtpListeners;

  beforeEach(() => {
    listeners = new FtpListeners(login, sinks, { ...DEFAULT_WORKER_OPTIONS, drainGraceMs: 100 });
  });

  afterEach(() => listeners.drainAll(100));

  /** The engine a server's listener runs (internal access, for what it was constructed with). */
  const engine = (serverId: string): FtpServer =>
    (listeners as unknown as { listeners: Map<string, { server: FtpServer }> }).listeners.get(
      serverId,
    )!.server;

  it('keeps a server with unusable TLS material as an error and still starts the others', async () => {
    await listeners.start(
      toListenerSpec(row({ id: 'bad', tlsMode: 'explicit', certPem: 'junk', keyPem: 'junk' })),
    );
    await listeners.start(toListenerSpec(row({ id: 'good' })));
    const report = listeners.report();
    expect(report.servers).toEqual(['good']);
    expect(report.listeners.find((l) => l.serverId === 'bad')?.error).toEqual(expect.any(String));
    expect(listeners.running().get('bad')).toBeNull();
  });

  it("gives the engine the server's bandwidth caps as one bucket per direction for the listener", async () => {
    await listeners.start(
      toListenerSpec(row({ id: 'bw', uploadBandwidth: 65536, downloadBandwidth: null })),
    );
    // The engine's listener-wide buckets (FtpServer.bandwidth), shared by every session of it.
    expect(engine('bw').bandwidth.upload?.bytesPerSecond).toBe(65536);
    expect(engine('bw').bandwidth.download).toBeNull();
  });

  it("hands the server's fsync-uploads setting to the sessions' logins", async () => {
    await listeners.start(toListenerSpec(row({ id: 'fast', fsyncUploads: false })));
    await listeners.start(toListenerSpec(row({ id: 'durable' })));
    expect(forServer).toHaveBeenCalledWith('fast', { fsyncUploads: false });
    expect(forServer).toHaveBeenCalledWith('durable', { fsyncUploads: true });
  });

  it("gives the engine the server's upload SHA-256 setting", async () => {
    await listeners.start(toListenerSpec(row({ id: 'nohash', uploadSha256: false })));
    await listeners.start(toListenerSpec(row({ id: 'hashed' })));
    expect(engine('nohash').options.uploadSha256).toBe(false);
    expect(engine('hashed').options.uploadSha256).toBe(true);
  });

  it('reports a busy port without throwing', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      await listeners.start(toListenerSpec(row({ id: 'busy', port })));
      expect(listeners.report().listeners[0]?.error).toMatch(/EADDRINUSE/);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});
