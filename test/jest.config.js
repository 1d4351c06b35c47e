// One Jest run for the whole workspace: unit specs beside the code,
// integration specs (*.int.spec.ts) against real PostgreSQL/Redis, and
// end-to-end suites in test/. The database is created per run in globalSetup.
const path = require('node:path');

const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true, tsx: false },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
    // Rewrites @wharf/* at compile time, so code loaded outside Jest's
    // resolver (globalSetup) finds the libraries too.
    baseUrl: path.resolve(__dirname, '..'),
    paths: { '@wharf/*': ['libs/*/src/index.ts'] },
  },
  module: { type: 'commonjs', ignoreDynamic: true },
  sourceMaps: 'inline',
};

// The admin UI's TSX (React 19's automatic runtime, as Vite compiles it).
const swcTsx = {
  ...swc,
  jsc: {
    ...swc.jsc,
    parser: { syntax: 'typescript', tsx: true },
    transform: { react: { runtime: 'automatic' } },
  },
};

// NestJS 12 and some of its dependencies ship ESM only. Node runs them through
// require(esm), but Jest's runtime cannot (before Node 24.9), so those packages
// are compiled to CommonJS like our own code. Dynamic imports are compiled too,
// because Nest loads its optional packages (platform-express) with import().
const ESM_PACKAGES = [
  '@nestjs',
  'file-type',
  'strtok3',
  'token-types',
  '@tokenizer',
  'uint8array-extras',
  '@borewit',
];
const swcEsmPackage = {
  jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022', keepClassNames: true },
  module: { type: 'commonjs' },
};

/** @type {import('jest').Config} */
module.exports = {
  rootDir: path.resolve(__dirname, '..'),
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  // apps/admin specs run here too: its logic (CSV preview, formatting, URLs)
  // is plain TypeScript, so the node environment serves; .spec.tsx is for components.
  testMatch: ['**/*.spec.ts', '**/*.spec.tsx'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    '^.+\\.tsx$': ['@swc/jest', swcTsx],
    [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.m?js$`]: ['@swc/jest', swcEsmPackage],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleNameMapper: { '^@wharf/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts' },
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
