'use strict';
// Where the bench keeps what it owns: everything under .bench/ (gitignored),
// except the charts, which go to docs/bench/ beside the report.
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const benchDir = process.env.WHARF_BENCH_DIR
  ? path.resolve(process.env.WHARF_BENCH_DIR)
  : path.join(root, '.bench');

module.exports = {
  root,
  benchDir,
  peersDir: path.join(benchDir, 'peers'),
  tlsDir: path.join(benchDir, 'tls'),
  /** Storage root for every server; the bench user's home is `home` inside it. */
  dataDir: path.join(benchDir, 'data'),
  homeDir: path.join(benchDir, 'data', 'home'),
  runDir: path.join(benchDir, 'run'),
  clientDir: path.join(benchDir, 'client'),
  resultsDir: path.join(benchDir, 'results'),
  chartsDir: path.join(root, 'docs', 'bench'),
  /** The one FTP account every server accepts (a system user for the peers, a Wharf user for Wharf). */
  user: 'wharfbench',
  password: 'wharf-bench-Passw0rd',
};
