'use strict';
// The bench compiles its own copy of the Node side into .bench/build/node
// (same tsconfig as `npm run build`, other output folder), so a rebuild of
// dist/ by someone else cannot change the code under measurement mid-run.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const paths = require('./paths');

const outDir = path.join(paths.benchDir, 'build', 'node');

function buildWharf({ force = false } = {}) {
  const main = path.join(outDir, 'apps', 'ftp-worker', 'src', 'main.js');
  if (existsSync(main) && !force) return outDir;
  console.log('bench: compiling the Node side into', path.relative(paths.root, outDir));
  const result = spawnSync(
    process.execPath,
    [
      path.join(paths.root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      path.join(paths.root, 'apps', 'launcher', 'tsconfig.build.json'),
      '--outDir',
      outDir,
      '--tsBuildInfoFile',
      path.join(outDir, '.tsbuildinfo'),
    ],
    { cwd: paths.root, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`tsc failed (exit ${result.status})`);
  // Same resolver shim as apps/launcher/start.js: require('@wharf/x') finds the compiled lib.
  for (const lib of readdirSync(path.join(paths.root, 'libs'))) {
    const dir = path.join(outDir, 'node_modules', '@wharf', lib);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'index.js'),
      `module.exports = require('../../../libs/${lib}/src/index.js');\n`,
    );
  }
  return outDir;
}

/** require() of a compiled workspace module, e.g. wharfRequire('libs/database/src/index.js'). */
function wharfRequire(relative) {
  return require(path.join(buildWharf(), relative));
}

module.exports = { buildWharf, wharfRequire, outDir };
