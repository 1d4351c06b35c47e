'use strict';
// The bench measures committed code: it exports HEAD (`git archive`) into
// .bench/src, compiles it there with the same tsconfig as `npm run build`,
// and runs that copy. Uncommitted edits in the work tree, or a rebuild of
// dist/ by someone else mid-run, cannot change the code under measurement.
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const paths = require('./paths');

const srcDir = path.join(paths.benchDir, 'src');
// WHARF_BENCH_CODE=dist runs the work tree's own build (dist/node, from
// `npm run build`) instead: what the Jest smoke suite does after `npm test` built it.
const useDist = process.env.WHARF_BENCH_CODE === 'dist';
const outDir = useDist ? path.join(paths.root, 'dist', 'node') : path.join(srcDir, 'dist', 'node');
const stampFile = path.join(srcDir, 'COMMIT');

function head() {
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: paths.root, encoding: 'utf8' }).trim();
}

/** The commit the compiled copy was built from. */
function builtCommit() {
  if (useDist) return 'work tree (dist/node)';
  return existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : null;
}

function buildWharf({ force = false } = {}) {
  const main = path.join(outDir, 'apps', 'ftp-worker', 'src', 'main.js');
  if (useDist) {
    if (!existsSync(main)) throw new Error('WHARF_BENCH_CODE=dist: run `npm run build` first');
    return outDir;
  }
  if (existsSync(main) && !force) return outDir;
  const commit = head();
  console.log(`bench: compiling ${commit.slice(0, 10)} (HEAD) into ${path.relative(paths.root, outDir)}`);
  rmSync(srcDir, { recursive: true, force: true });
  mkdirSync(srcDir, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', commit, 'apps', 'libs', 'tsconfig.base.json'], {
    cwd: paths.root,
    maxBuffer: 512 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', srcDir], { input: archive });
  symlinkSync(path.join(paths.root, 'node_modules'), path.join(srcDir, 'node_modules'));
  const result = spawnSync(
    process.execPath,
    [path.join(paths.root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(srcDir, 'apps', 'launcher', 'tsconfig.build.json')],
    { cwd: srcDir, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`tsc failed (exit ${result.status})`);
  // Same resolver shim as apps/launcher/start.js: require('@wharf/x') finds the compiled lib.
  for (const lib of readdirSync(path.join(srcDir, 'libs'))) {
    const dir = path.join(outDir, 'node_modules', '@wharf', lib);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'index.js'), `module.exports = require('../../../libs/${lib}/src/index.js');\n`);
  }
  writeFileSync(stampFile, `${commit}\n`);
  return outDir;
}

/** require() of a compiled workspace module, e.g. wharfRequire('libs/database/src/index.js'). */
function wharfRequire(relative) {
  return require(path.join(buildWharf(), relative));
}

module.exports = { buildWharf, builtCommit, wharfRequire, outDir };
