#!/usr/bin/env node
'use strict';
/*
 * `npm run bench -- [options]`: the FTP data-plane benchmark. Starts Wharf
 * (the real worker, and the bare engine) and the peers (vsftpd, ProFTPD,
 * Pure-FTPd) on loopback, runs every scenario in rounds that alternate the
 * servers, and writes results JSON, a Markdown report and PNG charts.
 *
 *   --setup               install the peers and clients (root, Debian 12), then exit
 *   --scenario a,b        transfer, small-files, file-steps, logins, idle, listing, machine,
 *                         control-plane (default: all FTP scenarios)
 *   --rounds N            rounds per scenario (default 3)
 *   --scenario-rounds a=N,b=M  other round counts for some scenarios
 *   --peers a,b           vsftpd, proftpd, pure-ftpd (default: all installed; "none")
 *   --wharf a,b           wharf, wharf-engine, wharf-nofsync, wharf-lean (default: wharf, wharf-engine)
 *   --idle-sessions a,b   session counts for the idle-memory scenario (default 1000,10000)
 *   --idle-peer-max N     largest count tried on the forking peers (default 1000)
 *   --smoke               seconds, tiny sizes, Wharf only; charts stay in .bench/results
 *   --cpu-prof            run the Wharf processes with --cpu-prof (profiles in .bench/profiles)
 *   --rebuild             recompile the Node side into .bench/build first
 *   --charts DIR          where PNG charts go (default docs/bench)
 */
const { mkdirSync, writeFileSync, existsSync } = require('node:fs');
const path = require('node:path');

const paths = require('./lib/paths');

const FTP_SCENARIOS = ['machine', 'transfer', 'small-files', 'file-steps', 'logins', 'idle', 'listing'];

function parseArgs(argv) {
  const options = {
    scenarios: null,
    rounds: 3,
    scenarioRounds: {},
    peers: null,
    wharf: ['wharf', 'wharf-engine'],
    idleSessions: [1000, 10000],
    idlePeerMax: 1000,
    smoke: false,
    setup: false,
    rebuild: false,
    charts: null,
  };
  const list = (v) => v.split(',').map((s) => s.trim()).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--scenario':
      case '--scenarios':
        options.scenarios = list(value());
        break;
      case '--rounds':
        options.rounds = Number(value());
        break;
      case '--peers':
        options.peers = list(value()).filter((p) => p !== 'none');
        break;
      case '--wharf':
        options.wharf = list(value());
        break;
      case '--idle-sessions':
        options.idleSessions = list(value()).map(Number);
        break;
      case '--idle-peer-max':
        options.idlePeerMax = Number(value());
        break;
      case '--scenario-rounds':
        // e.g. small-files=2,idle=1: fewer rounds for the slow scenarios
        for (const pair of list(value())) {
          const [id, n] = pair.split('=');
          options.scenarioRounds[id] = Number(n);
        }
        break;
      case '--cpu-prof':
        options.cpuProf = true;
        break;
      case '--smoke':
        options.smoke = true;
        break;
      case '--setup':
        options.setup = true;
        break;
      case '--rebuild':
        options.rebuild = true;
        break;
      case '--charts':
        options.charts = path.resolve(value());
        break;
      case '--help':
      case '-h':
        console.log(require('node:fs').readFileSync(__filename, 'utf8').split('*/')[0]);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg} (see --help)`);
    }
  }
  if (!Number.isInteger(options.rounds) || options.rounds < 1) throw new Error('--rounds must be a positive integer');
  if (options.smoke) {
    options.peers ??= [];
    options.rounds = Math.min(options.rounds, 2);
    options.idleSessions = [20];
  }
  options.scenarios ??= FTP_SCENARIOS;
  for (const s of options.scenarios) {
    if (!FTP_SCENARIOS.includes(s) && s !== 'control-plane') throw new Error(`unknown scenario ${s}`);
  }
  return options;
}

async function runControlPlane(options, log) {
  const entry = path.join(__dirname, 'control-plane', 'index.js');
  if (!existsSync(entry)) {
    log('control-plane: bench/control-plane/index.js does not exist yet, skipped');
    return { skipped: 'bench/control-plane/index.js not present' };
  }
  return require(entry).run(options);
}

async function main(argv = process.argv.slice(2), { quiet = false } = {}) {
  const options = parseArgs(argv);
  if (options.setup) {
    require('./setup').setup();
    return null;
  }
  const log = quiet ? () => {} : (msg) => console.log(msg);
  const { machineInfo, loadNow } = require('./lib/machine');
  const results = {
    kind: 'wharf-bench',
    startedAt: new Date().toISOString(),
    options,
    machine: machineInfo(),
    load: [{ at: new Date().toISOString(), ...loadNow() }],
    scenarios: {},
  };

  const ftp = options.scenarios.filter((s) => FTP_SCENARIOS.includes(s));
  if (ftp.length > 0) {
    const { runFtp } = require('./ftp');
    Object.assign(results.scenarios, await runFtp(options, log, results));
  }
  if (options.scenarios.includes('control-plane')) {
    results.controlPlane = await runControlPlane(options, log);
  }
  results.finishedAt = new Date().toISOString();
  results.load.push({ at: results.finishedAt, ...loadNow() });

  const { writeReport } = require('./lib/report');
  mkdirSync(paths.resultsDir, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const base = path.join(paths.resultsDir, `${options.smoke ? 'smoke' : 'ftp'}-${stamp}`);
  const chartsDir = options.charts ?? (options.smoke ? paths.resultsDir : paths.chartsDir);
  const report = writeReport(results, { chartsDir, markdownDir: paths.root });
  writeFileSync(`${base}.json`, JSON.stringify(results, null, 2));
  writeFileSync(`${base}.md`, report.markdown);
  results.files = { json: `${base}.json`, markdown: `${base}.md`, charts: report.charts };
  log(`\nresults: ${path.relative(paths.root, base)}.json / .md; charts: ${report.charts.map((c) => path.relative(paths.root, c)).join(', ')}`);
  return results;
}

module.exports = { main, parseArgs, FTP_SCENARIOS };

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  });
}
