#!/usr/bin/env node
'use strict';
// `npm start` entry point. Plain JavaScript so it runs before anything is
// compiled: it builds the Node side incrementally (tsc + path aliases), builds
// the admin UI when its bundle is missing, then hands over to the typed
// launcher in apps/launcher/src/main.ts.
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const tsconfig = path.join(__dirname, 'tsconfig.build.json');

function run(label, bin, binArgs) {
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [require.resolve(bin, { paths: [root] }), ...binArgs],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) {
    console.error(`wharf: ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
  console.log(`wharf: ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

run('compile', 'typescript/bin/tsc', ['-p', tsconfig]);
run('path aliases', 'tsc-alias/dist/bin/index.js', ['-p', tsconfig]);
if (args.includes('--build-only') || !existsSync(path.join(root, 'dist', 'admin', 'index.html'))) {
  run('admin UI build', 'vite/bin/vite.js', [
    'build',
    '--config',
    'apps/admin/vite.config.ts',
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
