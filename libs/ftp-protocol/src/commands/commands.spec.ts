import {
  MemoryFileSystem,
  RawClient,
  startTestServer,
  type TestServer,
} from '../testing/ftp-test-harness';
import { COMMANDS } from '.';

interface Scenario {
  /** Log in first (default true). */
  login?: boolean;
  steps: Array<[line: string, code: number]>;
}

/**
 * One scenario per verb of the command table, run against the in-memory
 * FileSystem seeded with: /dir/file.txt ("hello"), /full/x, /empty/.
 * Full transfers are covered in the basic-ftp and quirk suites; here a
 * transfer without PASV/PORT must answer 425.
 */
const SCENARIOS: Record<string, Scenario> = {
  USER: { login: false, steps: [['USER alice', 331]] },
  PASS: {
    login: false,
    steps: [
      ['PASS x', 503],
      ['USER alice', 331],
      ['PASS secret', 230],
      ['PASS again', 230],
    ],
  },
  ACCT: { steps: [['ACCT x', 502]] },
  AUTH: {
    login: false,
    steps: [
      ['AUTH TLS', 502],
      ['AUTH KERBEROS', 504],
    ],
  },
  PBSZ: { login: false, steps: [['PBSZ 0', 503]] },
  PROT: { login: false, steps: [['PROT P', 503]] },
  CCC: { steps: [['CCC', 503]] },
  FEAT: { login: false, steps: [['FEAT', 211]] },
  OPTS: {
    login: false,
    steps: [
      ['OPTS UTF8 ON', 200],
      ['OPTS UTF8 OFF', 504],
      ['OPTS HASH SHA-1', 200],
      ['OPTS HASH FOO', 504],
      ['OPTS BOGUS', 501],
    ],
  },
  SYST: { login: false, steps: [['SYST', 215]] },
  NOOP: { login: false, steps: [['NOOP', 200]] },
  HELP: {
    login: false,
    steps: [
      ['HELP', 214],
      ['HELP RETR', 214],
      ['HELP SITE', 214],
      ['HELP NOPE', 501],
    ],
  },
  STAT: {
    steps: [
      ['STAT', 211],
      ['STAT /dir/file.txt', 213],
      ['STAT /dir', 212],
      ['STAT /missing', 550],
    ],
  },
  QUIT: { steps: [['QUIT', 221]] },
  REIN: {
    steps: [
      ['REIN', 220],
      ['PWD', 530],
    ],
  },
  CLNT: { login: false, steps: [['CLNT lftp 4.9', 200]] },
  HOST: { login: false, steps: [['HOST example.com', 220]] },
  LANG: {
    login: false,
    steps: [
      ['LANG', 200],
      ['LANG EN-US', 200],
      ['LANG DE', 504],
    ],
  },
  PWD: { steps: [['PWD', 257]] },
  XPWD: { steps: [['XPWD', 257]] },
  CWD: {
    steps: [
      ['CWD dir', 250],
      ['CWD /missing', 550],
      ['CWD /dir/file.txt', 550],
      ['CWD', 501],
    ],
  },
  XCWD: { steps: [['XCWD /dir', 250]] },
  CDUP: {
    steps: [
      ['CWD /dir', 250],
      ['CDUP', 200],
      ['PWD', 257],
    ],
  },
  XCUP: { steps: [['XCUP', 200]] },
  MKD: {
    steps: [
      ['MKD new', 257],
      ['MKD new', 550],
      ['MKD /missing/sub', 550],
    ],
  },
  XMKD: { steps: [['XMKD new2', 257]] },
  RMD: {
    steps: [
      ['RMD /empty', 250],
      ['RMD /full', 550],
      ['RMD /', 550],
    ],
  },
  XRMD: { steps: [['XRMD /empty', 250]] },
  DELE: {
    steps: [
      ['DELE /dir/file.txt', 250],
      ['DELE /dir/file.txt', 550],
      ['DELE /dir', 550],
    ],
  },
  RNFR: {
    steps: [
      ['RNFR /missing', 550],
      ['RNFR /dir/file.txt', 350],
    ],
  },
  RNTO: {
    steps: [
      ['RNTO x', 503],
      ['RNFR /dir/file.txt', 350],
      ['RNTO /dir/renamed.txt', 250],
      ['SIZE /dir/renamed.txt', 213],
    ],
  },
  SIZE: {
    steps: [
      ['SIZE /dir/file.txt', 213],
      ['SIZE /dir', 550],
      ['SIZE /missing', 550],
    ],
  },
  MDTM: {
    steps: [
      ['MDTM /dir/file.txt', 213],
      ['MDTM 20200101000000 /dir/file.txt', 213],
      ['MDTM /missing', 550],
    ],
  },
  MFMT: {
    steps: [
      ['MFMT 20200101000000 /dir/file.txt', 213],
      ['MFMT 2020 /dir/file.txt', 501],
      ['MFMT 20200101000000 /missing', 550],
    ],
  },
  MLST: {
    steps: [
      ['MLST /dir/file.txt', 250],
      ['MLST', 250],
      ['MLST /missing', 550],
    ],
  },
  MLSD: { steps: [['MLSD', 425]] },
  LIST: { steps: [['LIST', 425]] },
  NLST: { steps: [['NLST', 425]] },
  TYPE: {
    login: false,
    steps: [
      ['TYPE A', 200],
      ['TYPE A N', 200],
      ['TYPE I', 200],
      ['TYPE L 8', 200],
      ['TYPE E', 504],
      ['TYPE X', 501],
    ],
  },
  MODE: {
    login: false,
    steps: [
      ['MODE S', 200],
      ['MODE Z', 504],
      ['MODE Q', 501],
    ],
  },
  STRU: {
    login: false,
    steps: [
      ['STRU F', 200],
      ['STRU P', 504],
      ['STRU Q', 501],
    ],
  },
  ALLO: { steps: [['ALLO 1000', 202]] },
  REST: {
    steps: [
      ['REST 10', 350],
      ['REST -1', 501],
      ['REST x', 501],
    ],
  },
  RETR: {
    steps: [
      ['RETR /missing', 550],
      ['RETR /dir', 550],
      ['RETR /dir/file.txt', 425],
    ],
  },
  STOR: {
    steps: [
      ['STOR /dir/up.txt', 425],
      ['STOR /dir', 550],
    ],
  },
  APPE: { steps: [['APPE /dir/file.txt', 425]] },
  STOU: { steps: [['STOU', 425]] },
  ABOR: {
    steps: [
      ['ABOR', 226],
      ['EPSV', 229],
      ['ABOR', 225],
    ],
  },
  PASV: { steps: [['PASV', 227]] },
  EPSV: {
    steps: [
      ['EPSV', 229],
      ['EPSV 1', 229],
      ['EPSV 2', 522],
      ['EPSV ALL', 200],
    ],
  },
  PORT: {
    steps: [
      ['PORT 127,0,0,1,100,100', 200],
      ['PORT 1,2,3', 501],
      ['PORT 127,0,0,1,0,80', 504],
    ],
  },
  EPRT: {
    steps: [
      ['EPRT |1|127.0.0.1|25700|', 200],
      ['EPRT |3|x|25700|', 522],
      ['EPRT garbage', 501],
    ],
  },
  SITE: {
    steps: [
      ['SITE CHMOD 600 /dir/file.txt', 200],
      ['SITE CHMOD 999 /dir/file.txt', 501],
      ['SITE HELP', 214],
      ['SITE UTIME 20200101000000 /dir/file.txt', 200],
      ['SITE FOO', 504],
    ],
  },
  HASH: {
    steps: [
      ['HASH /dir/file.txt', 213],
      ['HASH /dir', 550],
    ],
  },
  AVBL: { steps: [['AVBL', 213]] },
  XCRC: { steps: [['XCRC /dir/file.txt', 250]] },
  XMD5: { steps: [['XMD5 /dir/file.txt', 250]] },
  XSHA1: { steps: [['XSHA1 /dir/file.txt', 250]] },
  XSHA256: { steps: [['XSHA256 /dir/file.txt 0 2', 250]] },
  PRET: { steps: [['PRET RETR x', 200]] },
};

describe('command table', () => {
  it('has a scenario for every verb and alias', () => {
    const verbs = COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]).sort();
    expect(Object.keys(SCENARIOS).sort()).toEqual(verbs);
  });

  it('declares each command completely', () => {
    for (const command of COMMANDS) {
      expect(command.name).toMatch(/^[A-Z0-9]{3,7}$/);
      expect(['normal', 'transfer', 'immediate']).toContain(command.kind);
      expect(['none', 'optional', 'required']).toContain(command.argument);
    }
    const immediate = COMMANDS.filter((c) => c.kind === 'immediate')
      .map((c) => c.name)
      .sort();
    expect(immediate).toEqual(['ABOR', 'NOOP', 'QUIT', 'STAT']);
  });
});

describe.each(Object.entries(SCENARIOS))('%s', (_verb, scenario) => {
  let t: TestServer;
  let raw: RawClient;

  beforeEach(async () => {
    const fs = new MemoryFileSystem({ capacityBytes: 1_000_000 });
    fs.seedFile('/dir/file.txt', 'hello');
    fs.seedFile('/full/x', 'x');
    await fs.mkdir('/empty');
    t = await startTestServer({ fs, dataTimeoutMs: 1000 });
    raw = await RawClient.connect(t.port);
    await raw.next();
    if (scenario.login !== false) await raw.login();
  });
  afterEach(async () => {
    raw.close();
    await t.close();
  });

  it('answers with the RFC reply codes', async () => {
    const codes: Array<[string, number]> = [];
    for (const [line] of scenario.steps) codes.push([line, (await raw.send(line)).code]);
    expect(codes).toEqual(scenario.steps);
  });
});
