#!/usr/bin/env node
'use strict';
// `npm start` entry point. Plain JavaScript so it runs before anything is
// compiled: it builds the Node side incrementally (tsc, plus a resolver shim for @wharf/* libraries), builds
// the admin UI when its bundle is missing, then hands over to the typed
// launcher in apps/launcher/src/main.ts.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const tsconfig = path.join(__dirname, 'tsconfig.build.json');

function run(label, bin, binArgs) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', bin), ...binArgs], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`wharf: ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
  console.log(`wharf: ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

run('compile', 'typescript/bin/tsc', ['-p', tsconfig]);
linkWorkspaceLibraries();
/**
 * The compiled code still says `require('@wharf/config')`. Node finds such a
 * name in the nearest node_modules folder up the tree, so one small shim per
 * library in dist/node/node_modules resolves them without rewriting output.
 */
function linkWorkspaceLibraries() {
  for (const lib of readdirSync(path.join(root, 'libs'))) {
    const dir = path.join(root, 'dist', 'node', 'node_modules', '@wharf', lib);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'index.js'),
      `module.exports = require('../../../libs/${lib}/src/index.js');\n`,
    );
  }
}

if (args.includes('--build-only') || !existsSync(path.join(root, 'dist', 'admin', 'index.html'))) {
  run('admin UI build', 'vite/bin/vite.js', [
    'build',
    '--config',
    'apps/admin/vite.config.mts',
    '--logLevel',
    'warn',
  ]);
}
if (args.includes('--build-only')) process.exit(0);

require(path.join(root, 'dist', 'node', 'apps', 'launcher', 'src', 'main.js'))
  .main(args)
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
