'use strict';
/*
 * Every server under test, started the same way: loopback only, the same
 * user and password, the same home directory on the same file system,
 * passive mode on a range of its own, explicit TLS (AUTH TLS) with the same
 * certificate, no idle or login timeout during the run, no session limits.
 *
 *   wharf        the real FTP worker (dist code compiled into .bench/build):
 *                PostgreSQL users, argon2id, audit spool, quotas, sessions
 *   wharf-engine libs/ftp-protocol + libs/storage only (no database)
 *   vsftpd       Debian package (apt)
 *   proftpd      Debian proftpd-core + proftpd-mod-crypto, unpacked
 *   pure-ftpd    Debian pure-ftpd, unpacked
 */
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { buildWharf, wharfRequire, outDir } = require('../lib/build');
const paths = require('../lib/paths');

const { ensureCertificate } = require('../lib/tls');

const cert = () => ensureCertificate().cert;
const key = () => ensureCertificate().key;
const peerRoot = () => path.join(paths.peersDir, 'root');

/** Control port and passive range per server (below the ephemeral range, so clients never hold them). */
// WHARF_BENCH_PORT_OFFSET moves them all (the Jest smoke suite, so it never meets a real run).
const OFFSET = Number(process.env.WHARF_BENCH_PORT_OFFSET || 0);
const shift = ({ port, passive }) => ({ port: port + OFFSET, passive: passive.map((p) => p + OFFSET) });
const PORTS = {
  // Wharf's ranges are larger: 2,000 downloads in a row must never wait for a port.
  wharf: { port: 19021, passive: [20000, 22999] },
  'wharf-engine': { port: 19121, passive: [23000, 25999] },
  // The worker again, on a server with fsyncUploads off (the peers do not fsync either).
  'wharf-nofsync': { port: 19031, passive: [26000, 28999] },
  // And with no upload SHA-256 either; above the ephemeral range (32768-60999), which the
  // smoke suite's negative offset keeps valid.
  'wharf-lean': { port: 19041, passive: [61000, 63999] },
  vsftpd: { port: 19221, passive: [30000, 30899] },
  proftpd: { port: 19321, passive: [30900, 31799] },
  // Pure-FTPd admits at most half its passive range in users (-c is capped to it,
  // "421 450 users (the maximum)" with 900 ports): 3,000 ports for the 1,000-session runs.
  'pure-ftpd': { port: 19421, passive: [10000, 12999] },
};
for (const name of Object.keys(PORTS)) PORTS[name] = shift(PORTS[name]);

/** How each server stores the bench user's password (stated in the report). */
const PASSWORD_HASH = {
  wharf: 'argon2id m=19 MiB, t=2, p=1 (PostgreSQL); verified-password cache (HMAC) after the first login',
  'wharf-engine': 'argon2id m=19 MiB, t=2, p=1, verified once, then the matching password remembered in memory',
  'wharf-nofsync': 'as wharf (the same database and users)',
  'wharf-lean': 'as wharf (the same database and users)',
  vsftpd: 'PAM pam_unix, /etc/shadow yescrypt (Debian 12 default, cost 5)',
  proftpd: 'PAM pam_unix, /etc/shadow yescrypt (Debian 12 default, cost 5)',
  'pure-ftpd': 'crypt(3) on /etc/shadow (-l unix), yescrypt (Debian 12 default, cost 5)',
};

/** The last lines a server wrote to its log, for failure messages. */
function logTail(handle, lines = 40) {
  try {
    return readFileSync(handle.log, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Resolves once `port` sends a greeting. Rejects with the server's log tail
 * when its process exits first or nothing answers within `timeoutMs`.
 */
function waitForGreeting(handle, port, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  const failure = (why) =>
    new Error(`${handle.name}: ${why} (pid ${handle.pid}, log ${handle.log}):\n${logTail(handle)}`);
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('data', () => {
        socket.destroy();
        resolve(handle);
      });
      socket.once('error', () => {
        socket.destroy();
        if (handle.exited()) reject(failure(`exited before answering on port ${port}`));
        else if (Date.now() > deadline) {
          // Read the log first: stop() makes the server write its shutdown.
          const error = failure(`nothing answers on port ${port}`);
          handle.stop().finally(() => reject(error));
        } else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** Spawns a server in its own process group, so stop() also ends the sessions it forked. */
function spawnServer(name, command, args, options = {}) {
  mkdirSync(paths.runDir, { recursive: true });
  const log = path.join(paths.runDir, `${name}.log`);
  const out = require('node:fs').openSync(log, 'a');
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', out, out],
    ...options,
  });
  let exited = false;
  const exit = new Promise((resolve) => child.once('exit', () => resolve((exited = true))));
  return {
    name,
    pid: child.pid,
    log,
    exited: () => exited,
    async stop() {
      if (exited) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 20_000);
      await exit;
      clearTimeout(timer);
      // Forked sessions of a peer may outlive the master by a moment.
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* group empty */
      }
    },
  };
}

// ---------------------------------------------------------------- Wharf worker

let database; // { url, name, dropped }

function databaseUrls(name) {
  const base = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
  const own = new URL(base);
  own.pathname = `/${name}`;
  return { server: base.toString(), own: own.toString() };
}

/**
 * Worker variants beside `wharf` (fsync on, upload SHA-256 on: the defaults):
 * the same worker build and database, a server row with other settings.
 */
const WHARF_VARIANTS = {
  // Uploads left to the page cache, as the peers do; the audit hash stays.
  nofsync: { fsyncUploads: false, uploadSha256: true },
  // Neither fsync nor upload hash: uploads on the peers' terms (audit events still flushed).
  lean: { fsyncUploads: false, uploadSha256: false },
};

/**
 * Login users beyond the main one, all with the same password (and hash):
 * wb00001... Each has its own (empty) home: the quota reconcile job scans
 * every user's home, and 6,000 users sharing the big bench home would keep
 * the worker busy scanning it.
 */
const EXTRA_USERS = 6000;

async function prepareWharfDatabase() {
  if (database?.ready) return database;
  const { Client } = require('pg');
  const name = `wharf_bench_${process.pid}_${randomBytes(2).toString('hex')}`;
  const urls = databaseUrls(name);
  const admin = new Client({ connectionString: urls.server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  database = { name, urls };
  mkdirSync(paths.homeDir, { recursive: true });
  const db = wharfRequire('libs/database/src/index.js');
  const ds = await db.createDataSource(urls.own, { poolSize: 2 }).initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    const hash = await db.hashPassword(paths.password);
    await ds.query(
      `INSERT INTO ftp_users (username, password_hash, home_dir)
       SELECT $1, $2, 'home'
       UNION ALL
       SELECT 'wb' || lpad(i::text, 5, '0'), $2, 'fresh/wb' || lpad(i::text, 5, '0')
       FROM generate_series(1, $3) AS i`,
      [paths.user, hash, EXTRA_USERS],
    );
    await ds.query(
      `INSERT INTO permission_rules (user_id, path, allow)
       SELECT id, '/', $1::text[] FROM ftp_users`,
      [wharfRequire('libs/contracts/src/index.js').ALL_FTP_PERMISSIONS],
    );
    const { port, passive } = PORTS.wharf;
    await ds.query(
      `INSERT INTO servers (name, bind_address, port, tls_mode, cert_pem, key_pem,
         passive_port_min, passive_port_max, login_timeout_s, idle_timeout_s, banner)
       VALUES ('bench', '127.0.0.1', $1, 'explicit', $2, $3, $4, $5, 3600, 3600, 'Wharf bench')`,
      [port, readFileSync(cert(), 'utf8'), readFileSync(key(), 'utf8'), passive[0], passive[1]],
    );
    // The variants: the same settings on ports of their own, each server served by a worker
    // process of its own (server_workers maps server bench-X to worker id bench-<pid>-X).
    for (const [variant, settings] of Object.entries(WHARF_VARIANTS)) {
      const own = PORTS[`wharf-${variant}`];
      await ds.query(
        `INSERT INTO servers (name, bind_address, port, tls_mode, cert_pem, key_pem, passive_port_min,
           passive_port_max, login_timeout_s, idle_timeout_s, banner, fsync_uploads, upload_sha256)
         SELECT $1, bind_address, $2, tls_mode, cert_pem, key_pem, $3, $4,
                login_timeout_s, idle_timeout_s, banner, $5, $6
           FROM servers WHERE name = 'bench'`,
        [`bench-${variant}`, own.port, own.passive[0], own.passive[1], settings.fsyncUploads, settings.uploadSha256],
      );
    }
    await ds.query(
      `INSERT INTO server_workers (server_id, worker_id)
       SELECT id, $1 || substr(name, 6) FROM servers`,
      [`bench-${process.pid}`],
    );
  } finally {
    await ds.destroy();
  }
  database.ready = true;
  return database;
}

async function dropWharfDatabase() {
  if (!database) return;
  const { Client } = require('pg');
  const admin = new Client({ connectionString: database.urls.server });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database.name}" WITH (FORCE)`);
  } finally {
    await admin.end();
    database = undefined;
  }
}

async function startWharf(options = {}) {
  const { urls } = await prepareWharfDatabase();
  const suffix = options.variant ? `-${options.variant}` : '';
  const dataDir = path.join(paths.runDir, `wharf-worker${suffix}`);
  mkdirSync(dataDir, { recursive: true });
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    DATABASE_URL: urls.own,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    WHARF_QUEUE_PREFIX: `wharf-bench-${process.pid}`,
    WHARF_DATA_DIR: dataDir,
    WHARF_STORAGE_ROOT: paths.dataDir,
    WHARF_WORKER_ID: `bench-${process.pid}${suffix}`,
    WHARF_JWT_SECRET: randomBytes(24).toString('hex'),
    WHARF_LOG_LEVEL: 'warn',
    WHARF_DRAIN_GRACE_SECONDS: '1',
  };
  const args = [...(options.nodeArgs ?? []), path.join(outDir, 'apps', 'ftp-worker', 'src', 'main.js')];
  const name = `wharf${suffix}`;
  const handle = spawnServer(name, process.execPath, args, { env, cwd: paths.runDir });
  return waitForGreeting(handle, PORTS[name].port);
}

// ---------------------------------------------------------------- bare engine

async function startEngine(options = {}) {
  const { port, passive } = PORTS['wharf-engine'];
  const settings = {
    port,
    passiveMin: passive[0],
    passiveMax: passive[1],
    certFile: cert(),
    keyFile: key(),
    user: paths.user,
    password: paths.password,
    home: paths.homeDir,
    codeDir: buildWharf(),
  };
  const handle = spawnServer('wharf-engine', process.execPath, [
    ...(options.nodeArgs ?? []),
    path.join(__dirname, 'engine-server.js'),
    JSON.stringify(settings),
  ]);
  return waitForGreeting(handle, port);
}

// ---------------------------------------------------------------- peers

function startVsftpd() {
  const { port, passive } = PORTS.vsftpd;
  mkdirSync('/var/run/vsftpd/empty', { recursive: true });
  const conf = path.join(paths.runDir, 'vsftpd.conf');
  mkdirSync(paths.runDir, { recursive: true });
  writeFileSync(
    conf,
    [
      'listen=YES',
      'listen_ipv6=NO',
      'listen_address=127.0.0.1',
      `listen_port=${port}`,
      'background=NO',
      'anonymous_enable=NO',
      'local_enable=YES',
      'write_enable=YES',
      'local_umask=022',
      'chroot_local_user=YES',
      'allow_writeable_chroot=YES',
      'pasv_enable=YES',
      `pasv_min_port=${passive[0]}`,
      `pasv_max_port=${passive[1]}`,
      'ssl_enable=YES',
      `rsa_cert_file=${cert()}`,
      `rsa_private_key_file=${key()}`,
      'ssl_ciphers=HIGH',
      'require_ssl_reuse=NO',
      'force_local_data_ssl=NO',
      'force_local_logins_ssl=NO',
      'idle_session_timeout=3600',
      'data_connection_timeout=3600',
      'max_clients=0',
      'max_per_ip=0',
      'pam_service_name=vsftpd',
      'seccomp_sandbox=NO',
      'isolate=NO',
      'isolate_network=NO',
      'xferlog_enable=NO',
      'dirmessage_enable=NO',
      'userlist_enable=NO',
      'secure_chroot_dir=/var/run/vsftpd/empty',
      '',
    ].join('\n'),
  );
  const handle = spawnServer('vsftpd', '/usr/sbin/vsftpd', [conf]);
  return waitForGreeting(handle, port);
}

function startProftpd() {
  const { port, passive } = PORTS.proftpd;
  const run = paths.runDir;
  mkdirSync(run, { recursive: true });
  const conf = path.join(run, 'proftpd.conf');
  writeFileSync(
    conf,
    [
      'ServerName "bench"',
      'ServerType standalone',
      'DefaultServer on',
      `Port ${port}`,
      'DefaultAddress 127.0.0.1',
      'SocketBindTight on',
      'UseIPv6 off',
      'User nobody',
      'Group nogroup',
      'Umask 022',
      'MaxInstances 30000',
      'DefaultRoot ~',
      'AllowOverwrite on',
      'RequireValidShell off',
      `PassivePorts ${passive[0]} ${passive[1]}`,
      'UseReverseDNS off',
      'DelayEngine off',
      'TimeoutIdle 3600',
      'TimeoutNoTransfer 3600',
      'TimeoutLogin 3600',
      'WtmpLog off',
      'TransferLog none',
      `PidFile ${path.join(run, 'proftpd.pid')}`,
      `ScoreboardFile ${path.join(run, 'proftpd.scoreboard')}`,
      `SystemLog ${path.join(run, 'proftpd.system.log')}`,
      `ModulePath ${path.join(peerRoot(), 'usr', 'lib', 'proftpd')}`,
      'LoadModule mod_tls.c',
      'TLSEngine on',
      'TLSProtocol TLSv1.2 TLSv1.3',
      `TLSRSACertificateFile ${cert()}`,
      `TLSRSACertificateKeyFile ${key()}`,
      'TLSRequired off',
      'TLSVerifyClient off',
      'TLSOptions NoSessionReuseRequired',
      '',
    ].join('\n'),
  );
  const handle = spawnServer('proftpd', path.join(peerRoot(), 'usr', 'sbin', 'proftpd'), [
    '--nodaemon',
    '-c',
    conf,
  ]);
  return waitForGreeting(handle, port);
}

function startPureFtpd() {
  const { port, passive } = PORTS['pure-ftpd'];
  const handle = spawnServer('pure-ftpd', path.join(peerRoot(), 'usr', 'sbin', 'pure-ftpd'), [
    '-S', `127.0.0.1,${port}`,
    '-p', `${passive[0]}:${passive[1]}`,
    '-l', 'unix',
    '-A', // chroot every user to its home
    '-E', // no anonymous
    '-H', // no reverse DNS
    '-c', '30000',
    '-C', '30000',
    '-I', '60',
    '-Y', '1', // explicit TLS optional
    '-2', `${cert()},${key()}`,
    '-u', '1',
    '-L', '1000000:5', // list whole directories (the default stops at 2,000 entries)
  ]);
  return waitForGreeting(handle, port);
}

const SERVERS = {
  wharf: { start: startWharf, wharf: true },
  'wharf-engine': { start: startEngine, wharf: true },
  'wharf-nofsync': { start: (options = {}) => startWharf({ ...options, variant: 'nofsync' }), wharf: true },
  'wharf-lean': { start: (options = {}) => startWharf({ ...options, variant: 'lean' }), wharf: true },
  vsftpd: { start: startVsftpd, installed: () => existsSync('/usr/sbin/vsftpd') },
  proftpd: {
    start: startProftpd,
    installed: () => existsSync(path.join(peerRoot(), 'usr', 'sbin', 'proftpd')),
  },
  'pure-ftpd': {
    start: startPureFtpd,
    installed: () => existsSync(path.join(peerRoot(), 'usr', 'sbin', 'pure-ftpd')),
  },
};

module.exports = { SERVERS, PORTS, PASSWORD_HASH, EXTRA_USERS, dropWharfDatabase };
