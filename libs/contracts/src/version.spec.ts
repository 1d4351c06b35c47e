import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { WHARF_VERSION } from './version';

it('WHARF_VERSION matches package.json', () => {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
    version: string;
  };
  expect(WHARF_VERSION).toBe(pkg.version);
});
