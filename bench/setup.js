'use strict';
/*
 * `node bench/run.js --setup` (or `npm run bench:setup`), as root on Debian 12:
 * installs the clients and vsftpd with apt, fetches ProFTPD and Pure-FTPd with
 * `apt-get download` (they conflict with vsftpd as packages) and unpacks them
 * with `dpkg -x` under .bench/peers/, installs the libraries they link, creates
 * the system user the peers authenticate, and one self-signed certificate that
 * every server uses. Safe to run again.
 */
const { spawnSync } = require('node:child_process');
const { mkdirSync, readdirSync } = require('node:fs');
const path = require('node:path');

const paths = require('./lib/paths');

const APT_PACKAGES = [
  'vsftpd',
  'iperf3',
  'curl',
  'lftp',
  'openssl',
  'procps',
  // What proftpd-core and pure-ftpd link, without the conflicting packages themselves.
  'libhiredis0.14',
  'libmemcached11',
  'libmemcachedutil2',
  'libsodium23',
  'libpcre2-posix3',
  'libidn2-0',
  'libcap2',
  'libacl1',
  'libssl3',
  'libpam0g',
];
/** Unpacked, never installed. */
const UNPACKED = ['proftpd-core', 'proftpd-mod-crypto', 'pure-ftpd', 'pure-ftpd-common'];

function sh(cmd, args, options = {}) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.status !== 0 && !options.allowFail) {
    throw new Error(`${cmd} failed (exit ${result.status ?? result.signal})`);
  }
  return result;
}

function setup() {
  if (process.getuid && process.getuid() !== 0) {
    throw new Error('bench setup installs packages and a system user: run it as root');
  }
  sh('apt-get', ['update', '-qq']);
  sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...APT_PACKAGES], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });

  const debs = path.join(paths.peersDir, 'debs');
  mkdirSync(debs, { recursive: true });
  sh('apt-get', ['download', ...UNPACKED], { cwd: debs });
  const root = path.join(paths.peersDir, 'root');
  mkdirSync(root, { recursive: true });
  for (const deb of readdirSync(debs).filter((f) => f.endsWith('.deb'))) {
    sh('dpkg', ['-x', path.join(debs, deb), root]);
  }

  // The peers log in a real system user: same name and password everywhere.
  const known = spawnSync('id', [paths.user]).status === 0;
  if (!known) {
    sh('useradd', ['--no-create-home', '--home-dir', paths.homeDir, '--shell', '/bin/sh', paths.user]);
  }
  sh('chpasswd', [], { input: `${paths.user}:${paths.password}\n`, stdio: ['pipe', 'inherit', 'inherit'] });
  mkdirSync(paths.homeDir, { recursive: true });
  sh('chown', [`${paths.user}:${paths.user}`, paths.homeDir]);
  mkdirSync('/var/run/vsftpd/empty', { recursive: true });

  require('./lib/tls').ensureCertificate();
  console.log('bench setup done: peers under', paths.peersDir);
}

module.exports = { setup, APT_PACKAGES, UNPACKED };

if (require.main === module) setup();
