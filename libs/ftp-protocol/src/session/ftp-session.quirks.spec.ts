import * as net from 'node:net';

import {
  RawClient,
  readAll,
  startTestServer,
  TEST_USER,
  type TestServer,
} from '../testing/ftp-test-harness';
import type { FtpSession } from './ftp-session';

/** Raw control-connection tests for the client quirks of FTP-CLIENTS.md, each named after what it guards. */
describe('FTP session quirks (raw protocol)', () => {
  let t: TestServer;
  let raw: RawClient;

  beforeAll(async () => {
    t = await startTestServer({ loginTimeoutMs: 2000 });
  });
  beforeEach(async () => {
    raw = await RawClient.connect(t.port);
    expect((await raw.next()).code).toBe(220);
  });
  afterEach(() => raw.close());
  afterAll(async () => {
    await t.close();
  });

  it('a command split across TCP segments is one command', async () => {
    raw.write('NO');
    await new Promise((r) => setTimeout(r, 30));
    raw.write('OP\r');
    await new Promise((r) => setTimeout(r, 30));
    raw.write('\n');
    expect((await raw.next()).code).toBe(200);
  });

  it('several commands in one segment are answered in order', async () => {
    raw.write('SYST\r\nNOOP\r\n');
    expect((await raw.next()).code).toBe(215);
    expect((await raw.next()).code).toBe(200);
  });

  it('a line over 4096 bytes gets 500 and the connection is closed', async () => {
    raw.write(`NOOP ${'x'.repeat(5000)}\r\n`);
    expect((await raw.next()).code).toBe(500);
    await raw.waitClosed();
  });

  it('a flood of tiny commands is read with backpressure, not buffered without bound', async () => {
    const flood = Buffer.from('NOOP\r\n'.repeat(1_000_000));
    raw.socket.pause(); // we never read the replies: the server must stop reading us
    raw.write(flood);
    await new Promise((r) => setTimeout(r, 500));
    const live = (t.server as unknown as { live: Map<string, FtpSession> }).live;
    const session = [...live.values()].at(-1)!;
    const queued = (session as unknown as { queue: string[] | null }).queue?.length ?? 0;
    expect(queued).toBeLessThanOrEqual(32);
    expect(session.socket.bytesRead).toBeLessThan(flood.length);
    expect(session.socket.writableLength).toBeLessThan(1024 * 1024);
  });

  it('OPTS UTF8 ON is accepted before login (lftp, FileZilla)', async () => {
    expect((await raw.send('OPTS UTF8 ON')).code).toBe(200);
  });

  it('commands that need a login get 530 before it; unknown verbs get 500; ACCT 502', async () => {
    expect((await raw.send('PWD')).code).toBe(530);
    expect((await raw.send('XYZZY')).code).toBe(500);
    expect((await raw.send('ACCT x')).code).toBe(502);
  });

  it('FEAT lists MLST facts (not MLSD), UTF8, EPSV, REST STREAM, HASH', async () => {
    const feat = await raw.send('FEAT');
    expect(feat.code).toBe(211);
    expect(feat.lines).toEqual(
      expect.arrayContaining([
        ' MLST type*;size*;modify*;perm*;unique*;unix.mode*;',
        ' UTF8',
        ' EPSV',
        ' REST STREAM',
        ' HASH SHA-256*;SHA-1;MD5;CRC32',
        ' MFMT',
        ' SIZE',
        ' MDTM',
      ]),
    );
    expect(feat.text).not.toMatch(/MLSD/);
    // Accepted (see below) but not advertised: clients would send it before every transfer.
    expect(feat.text).not.toMatch(/PRET/);
    expect(feat.text).not.toMatch(/AUTH TLS/); // no TLS configured on this listener
  });

  it('after EPSV ALL, PASV, PORT and EPRT are refused', async () => {
    await raw.login();
    expect((await raw.send('EPSV ALL')).code).toBe(200);
    expect((await raw.send('PASV')).code).toBe(503);
    expect((await raw.send('PORT 127,0,0,1,200,10')).code).toBe(503);
    expect((await raw.send('EPRT |1|127.0.0.1|51210|')).code).toBe(503);
    expect((await raw.send('EPSV')).code).toBe(229);
  });

  it('PORT/EPRT to another IP or a privileged port get 504 (no FTP bounce)', async () => {
    await raw.login();
    expect((await raw.send('PORT 10,0,0,1,200,10')).code).toBe(504);
    expect((await raw.send('PORT 127,0,0,1,0,21')).code).toBe(504);
    expect((await raw.send('EPRT |1|192.168.1.1|51210|')).code).toBe(504);
    expect((await raw.send('PORT 127,0,0,1,200,10')).code).toBe(200);
  });

  it('active mode (PORT) downloads to the client', async () => {
    t.fs.seedFile('/active.txt', 'active data');
    await raw.login();
    const listener = net.createServer();
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const port = (listener.address() as net.AddressInfo).port;
    const received = new Promise<Buffer>((resolve) =>
      listener.once('connection', (s) => resolve(readAll(s))),
    );
    expect((await raw.send(`PORT 127,0,0,1,${port >> 8},${port & 255}`)).code).toBe(200);
    expect((await raw.send('RETR active.txt')).code).toBe(150);
    expect((await raw.next()).code).toBe(226);
    expect((await received).toString()).toBe('active data');
    listener.close();
  });

  it('PASV announces 127.0.0.1 and the data connection must come from the control IP', async () => {
    t.fs.seedFile('/ip.txt', 'ip');
    await raw.login();
    const pasv = await raw.send('PASV');
    const m = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(pasv.text)!;
    expect(m.slice(1, 5).join('.')).toBe('127.0.0.1');
    const port = Number(m[5]) * 256 + Number(m[6]);
    // 127.0.0.2 is another loopback address: a different client IP.
    const stranger = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' });
    stranger.on('error', () => undefined);
    await new Promise<void>((r) => stranger.once('close', () => r()));
    const data = net.connect({ host: '127.0.0.1', port });
    const body = readAll(data);
    expect((await raw.send('RETR ip.txt')).code).toBe(150);
    expect((await raw.next()).code).toBe(226);
    expect((await body).toString()).toBe('ip');
  });

  it('LIST accepts -a, -l, -la and -aL, and a file named -x stays reachable', async () => {
    t.fs.seedFile('/flags/-x', 'dash');
    t.fs.seedFile('/flags/.dot', 'dot');
    await raw.login();
    await raw.send('CWD /flags');
    const list = async (arg: string): Promise<string> => {
      const data = await raw.openPassive();
      const body = readAll(data);
      expect((await raw.send(`LIST${arg}`)).code).toBe(150);
      expect((await raw.next()).code).toBe(226);
      return (await body).toString();
    };
    for (const flags of [' -a', ' -la', ' -aL']) {
      const out = await list(flags);
      expect(out).toMatch(/ -x\r\n/);
      expect(out).toMatch(/ \.dot\r\n/);
    }
    expect(await list(' -l')).not.toMatch(/\.dot/);
    expect(await list('')).toMatch(/^-rw-r--r-- +1 ftp +ftp +4 .* -x\r\n$/);
    // "-x" is not an ls flag set, and it exists: it is the file.
    expect(await list(' -x')).toMatch(/ -x\r\n$/);
    const data = await raw.openPassive();
    const body = readAll(data);
    expect((await raw.send('RETR -x')).code).toBe(150);
    expect((await raw.next()).code).toBe(226);
    expect((await body).toString()).toBe('dash');
  });

  it('NLST ignores ncftp-style -CF flags', async () => {
    t.fs.seedFile('/nlst/a.txt', 'a');
    await raw.login();
    const data = await raw.openPassive();
    const body = readAll(data);
    expect((await raw.send('NLST -CF /nlst')).code).toBe(150);
    expect((await raw.next()).code).toBe(226);
    expect((await body).toString()).toBe('a.txt\r\n');
  });

  it('STAT on a file is 213 and on a directory 212', async () => {
    t.fs.seedFile('/stat/f.txt', 'f');
    await raw.login();
    expect((await raw.send('STAT /stat/f.txt')).code).toBe(213);
    const dir = await raw.send('STAT /stat');
    expect(dir.code).toBe(212);
    expect(dir.text).toMatch(/f\.txt/);
    expect((await raw.send('STAT')).code).toBe(211);
  });

  it('MLST answers over the control connection with a leading space on the entry', async () => {
    t.fs.seedFile('/mlst.txt', 'abc');
    await raw.login();
    const reply = await raw.send('MLST mlst.txt');
    expect(reply.code).toBe(250);
    expect(reply.lines[1]).toMatch(
      /^ type=file;size=3;modify=\d{14};perm=adfrw;unique=\w+;unix\.mode=0644; \/mlst\.txt$/,
    );
    expect((await raw.send('OPTS MLST type;size;')).text).toBe('200 MLST OPTS type;size;');
    expect((await raw.send('MLST mlst.txt')).lines[1]).toBe(' type=file;size=3; /mlst.txt');
  });

  it('TYPE A converts line endings both ways', async () => {
    t.fs.seedFile('/text.txt', 'a\nb\n');
    await raw.login();
    expect((await raw.send('TYPE A')).code).toBe(200);
    let data = await raw.openPassive();
    const body = readAll(data);
    expect((await raw.send('RETR text.txt')).code).toBe(150);
    expect((await raw.next()).code).toBe(226);
    expect((await body).toString()).toBe('a\r\nb\r\n');
    data = await raw.openPassive();
    raw.write('STOR up.txt\r\n');
    expect((await raw.next()).code).toBe(150);
    data.end('x\r\ny\r\n');
    expect((await raw.next()).code).toBe(226);
    expect(t.fs.readFileSync('/up.txt')?.toString()).toBe('x\ny\n');
    expect((await raw.send('TYPE I')).code).toBe(200);
  });

  it('ABOR during a transfer answers 426 then 226, and STAT/NOOP are answered meanwhile', async () => {
    t.fs.seedFile('/big.bin', Buffer.alloc(32 * 1024 * 1024, 1));
    await raw.login();
    const data = await raw.openPassive();
    data.pause(); // do not read: the transfer stays in progress
    expect((await raw.send('RETR big.bin')).code).toBe(150);
    expect((await raw.send('NOOP')).code).toBe(200);
    const stat = await raw.send('STAT');
    expect(stat.code).toBe(211);
    expect(stat.text).toMatch(/RETR \/big\.bin: \d+ bytes/);
    // lftp: IAC IP, then IAC DM (the IAC travels as urgent data) before ABOR.
    raw.write(Buffer.concat([Buffer.from([255, 244, 255, 242]), Buffer.from('ABOR\r\n')]));
    expect((await raw.next()).code).toBe(426);
    expect((await raw.next()).code).toBe(226);
    data.destroy();
    expect(t.events.find((e) => e.type === 'download' && e.path === '/big.bin')?.outcome).toBe(
      'aborted',
    );
  });

  it('a client that resets the data connection mid-download gets 426, and the session goes on', async () => {
    t.fs.seedFile('/reset.bin', Buffer.alloc(32 * 1024 * 1024, 3));
    await raw.login();
    const data = await raw.openPassive();
    expect((await raw.send('RETR reset.bin')).code).toBe(150);
    await new Promise((resolve) => data.once('data', resolve));
    data.resetAndDestroy();
    expect((await raw.next()).code).toBe(426);
    expect((await raw.send('NOOP')).code).toBe(200);
    const event = t.events.find((e) => e.type === 'download' && e.path === '/reset.bin');
    expect(event?.outcome).toBe('failed');
    expect(event?.bytes).toBeGreaterThan(0);
    expect(event?.bytes).toBeLessThan(32 * 1024 * 1024);
  });

  it("ftplib's ABOR, sent as urgent data so its LF never arrives inline, still aborts", async () => {
    t.fs.seedFile('/big2.bin', Buffer.alloc(32 * 1024 * 1024, 2));
    await raw.login();
    const data = await raw.openPassive();
    data.pause();
    expect((await raw.send('RETR big2.bin')).code).toBe(150);
    raw.write('ABOR\r');
    expect((await raw.next()).code).toBe(426);
    expect((await raw.next()).code).toBe(226);
    data.destroy();
  });

  it('ABOR behind a stray DM byte (IAC taken out of band) is still ABOR', async () => {
    await raw.login();
    raw.write(Buffer.concat([Buffer.from([255, 244, 242]), Buffer.from('ABOR\r\n')]));
    expect((await raw.next()).code).toBe(226);
  });

  it('CWD never climbs above the virtual root', async () => {
    await raw.login();
    expect((await raw.send('CWD ../../..')).code).toBe(250);
    expect((await raw.send('PWD')).text).toBe('257 "/" is the current directory.');
    expect((await raw.send('CDUP')).code).toBe(200);
  });

  it('RNTO without RNFR is a bad sequence; RNFR of a missing file is 550', async () => {
    await raw.login();
    expect((await raw.send('RNTO x')).code).toBe(503);
    expect((await raw.send('RNFR missing')).code).toBe(550);
  });

  it('STOU stores under a new name announced in 150', async () => {
    await raw.login();
    const data = await raw.openPassive();
    const reply = await raw.send('STOU');
    expect(reply.code).toBe(150);
    const name = /FILE: (\S+)/.exec(reply.text)![1];
    data.end('unique');
    expect((await raw.next()).code).toBe(226);
    expect(t.fs.readFileSync(`/${name}`)?.toString()).toBe('unique');
  });

  it('HELP, SYST, SITE HELP, ALLO, MODE, STRU, PRET, LANG, CLNT, HOST answer per RFC', async () => {
    expect((await raw.send('HOST ftp.example.com')).code).toBe(220);
    expect((await raw.send('HELP')).code).toBe(214);
    expect((await raw.send('SYST')).text).toBe('215 UNIX Type: L8');
    expect((await raw.send('CLNT test')).code).toBe(200);
    expect((await raw.send('LANG EN')).code).toBe(200);
    expect((await raw.send('LANG FR')).code).toBe(504);
    await raw.login();
    expect((await raw.send('HOST again')).code).toBe(503);
    expect((await raw.send('SITE HELP')).code).toBe(214);
    expect((await raw.send('SITE NOPE')).code).toBe(504);
    expect((await raw.send('ALLO 100')).code).toBe(202);
    expect((await raw.send('MODE S')).code).toBe(200);
    expect((await raw.send('MODE B')).code).toBe(504);
    expect((await raw.send('STRU F')).code).toBe(200);
    expect((await raw.send('STRU R')).code).toBe(504);
    expect((await raw.send('PRET RETR x')).code).toBe(200);
    expect((await raw.send('AVBL')).code).toBe(550);
    expect((await raw.send('PBSZ 0')).code).toBe(503);
    expect((await raw.send('AUTH TLS')).code).toBe(502);
  });

  it('SITE CHMOD changes the mode shown by LIST/MLST', async () => {
    t.fs.seedFile('/mode.txt', 'm');
    await raw.login();
    expect((await raw.send('SITE CHMOD 600 mode.txt')).code).toBe(200);
    expect((await raw.send('MLST mode.txt')).lines[1]).toMatch(/unix\.mode=0600;/);
    expect((await raw.send('SITE UTIME 20210101000000 mode.txt')).code).toBe(200);
    expect((await raw.send('MDTM mode.txt')).text).toBe('213 20210101000000');
  });

  it('REIN logs out', async () => {
    await raw.login();
    expect((await raw.send('REIN')).code).toBe(220);
    expect((await raw.send('PWD')).code).toBe(530);
    expect(t.events.some((e) => e.type === 'logout' && e.command === 'REIN')).toBe(true);
  });

  it('QUIT answers 221 and closes', async () => {
    expect((await raw.send('QUIT')).code).toBe(221);
    await raw.waitClosed();
  });

  it('a failed login is 530 and audited as login-failed', async () => {
    await raw.send(`USER ${TEST_USER}`);
    expect((await raw.send('PASS wrong')).code).toBe(530);
    expect(t.events.some((e) => e.type === 'login-failed' && e.username === TEST_USER)).toBe(true);
  });
});
