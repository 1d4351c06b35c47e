'use strict';
// The FTP data-plane group: start the servers once, run the chosen scenarios
// (each alternates the servers round by round), stop everything.
const { readdirSync } = require('node:fs');
const path = require('node:path');

const { buildWharf, builtCommit } = require('../lib/build');
const { loadNow } = require('../lib/machine');
const paths = require('../lib/paths');
const { dropWharfDatabase, PASSWORD_HASH, PORTS, SERVERS } = require('./servers');

const SCENARIOS = {
  machine: require('./scenarios/machine'),
  transfer: require('./scenarios/transfer'),
  'small-files': require('./scenarios/small-files'),
  'file-steps': require('./scenarios/file-steps'),
  logins: require('./scenarios/logins'),
  idle: require('./scenarios/idle'),
  listing: require('./scenarios/listing'),
};

const PEERS = ['vsftpd', 'proftpd', 'pure-ftpd'];

function peerVersions() {
  const versions = {};
  try {
    for (const deb of readdirSync(path.join(paths.peersDir, 'debs'))) {
      const [name, version] = deb.split('_');
      versions[name] = version;
    }
  } catch {
    /* not set up */
  }
  return versions;
}

async function runFtp(options, log, results) {
  const peers = (options.peers ?? PEERS).filter((name) => {
    if (!SERVERS[name]) throw new Error(`unknown peer ${name}`);
    if (SERVERS[name].installed()) return true;
    log(`${name}: not installed (run node bench/run.js --setup), skipped`);
    return false;
  });
  const names = [...options.wharf, ...peers];
  buildWharf({ force: options.rebuild });
  results.wharfCommit = builtCommit();

  const servers = [];
  const stopAll = async () => {
    for (const server of servers.splice(0)) await server.handle.stop();
    await dropWharfDatabase();
  };
  const onSignal = () => {
    stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const out = {};
  try {
    for (const name of names) {
      log(`starting ${name} on 127.0.0.1:${PORTS[name].port}`);
      const start = () =>
        SERVERS[name].start(
          options.cpuProf && SERVERS[name].wharf
            ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', path.join(paths.benchDir, 'profiles', name)] }
            : {},
        );
      const handle = await start();
      const server = { name, port: PORTS[name].port, handle, pid: handle.pid, wharf: Boolean(SERVERS[name].wharf) };
      server.restart = async () => {
        await server.handle.stop();
        server.handle = await start();
        server.pid = server.handle.pid;
      };
      servers.push(server);
    }
    results.servers = Object.fromEntries(
      servers.map((s) => [s.name, { port: s.port, passive: PORTS[s.name].passive, passwordHash: PASSWORD_HASH[s.name] }]),
    );
    results.peerVersions = { vsftpd: results.machine.tools.vsftpd, ...peerVersions() };
    const ctx = { servers, rounds: options.rounds, smoke: options.smoke, options, log };
    for (const id of Object.keys(SCENARIOS)) {
      if (!options.scenarios.includes(id)) continue;
      const scenario = SCENARIOS[id];
      log(`\n== ${scenario.title}`);
      const started = Date.now();
      const rounds = options.scenarioRounds[id] ?? options.rounds;
      out[id] = { title: scenario.title, ...(await scenario.run({ ...ctx, rounds })), rounds, seconds: (Date.now() - started) / 1000 };
      results.load.push({ at: new Date().toISOString(), after: id, ...loadNow() });
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await stopAll();
  }
  return out;
}

module.exports = { runFtp, SCENARIOS };
