'use strict';
// Transpiles libs/ftp-protocol and libs/storage (no type check: `npm run
// typecheck` does that) into .bench/engine/build, fresh on every run, so the
// engine micro-benchmarks always measure the working tree. Takes ~1 s.
const {
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} = require('node:fs');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
// WHARF_ENGINE_SRC: another checkout's root (e.g. `git archive <commit> libs | tar -x -C dir`)
// to measure before/after with the same bench.
const sourceRoot = process.env.WHARF_ENGINE_SRC ? path.resolve(process.env.WHARF_ENGINE_SRC) : root;
const outDir = path.join(
  root,
  '.bench',
  'engine',
  process.env.WHARF_ENGINE_SRC ? 'build-src' : 'build',
);
const LIBS = ['ftp-protocol', 'storage'];

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [full] : [];
  });
}

/** Transpiles in a child process, so a --cpu-prof of the bench shows the engine, not tsc. */
function buildEngine() {
  execFileSync(process.execPath, [__filename], { stdio: 'inherit', env: process.env });
  return {
    engine: require(path.join(outDir, 'libs', 'ftp-protocol', 'src', 'index.js')),
    storage: require(path.join(outDir, 'libs', 'storage', 'src', 'index.js')),
  };
}

function transpile() {
  const ts = require('typescript');
  rmSync(outDir, { recursive: true, force: true });
  for (const lib of LIBS) {
    for (const file of sources(path.join(sourceRoot, 'libs', lib, 'src'))) {
      const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
          useDefineForClassFields: true,
        },
        fileName: file,
      });
      const target = path.join(outDir, path.relative(sourceRoot, file)).replace(/\.ts$/, '.js');
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, outputText);
    }
    // require('@wharf/<lib>') resolves to the transpiled copy.
    const shim = path.join(outDir, 'node_modules', '@wharf', lib);
    mkdirSync(shim, { recursive: true });
    writeFileSync(
      path.join(shim, 'index.js'),
      `module.exports = require('../../../libs/${lib}/src/index.js');\n`,
    );
  }
}

if (require.main === module) transpile();

module.exports = { buildEngine, outDir, root };
