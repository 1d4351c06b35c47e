import * as path from 'node:path';

import { homeDirProblem, isIpOrCidr, resolveHomeDir, virtualPathProblem } from './ftp-validators';

describe('ftp validators', () => {
  it.each(['10.0.0.0/8', '192.0.2.7', '::1', '2001:db8::/32', '0.0.0.0/0'])(
    'accepts IP/CIDR %s',
    (v) => expect(isIpOrCidr(v)).toBe(true),
  );

  it.each(['10.0.0.0/33', '::/129', '10.0.0.1/8/1', 'host', '10.0.0', '', '1.2.3.4/x'])(
    'refuses IP/CIDR %j',
    (v) => expect(isIpOrCidr(v)).toBe(false),
  );

  it.each(['alice', 'customers/alice', 'a.b/c_d@e', 'x/'])('accepts home dir %j', (v) =>
    expect(homeDirProblem(v)).toBeUndefined(),
  );

  it.each([
    '',
    '/etc',
    '..',
    '../x',
    'a/../../b',
    'a//b',
    './a',
    'a/.',
    'a\\b',
    'a\u0000b',
    'a\nb',
  ])('refuses home dir %j', (v) => expect(homeDirProblem(v)).toBeDefined());

  it.each(['/', '/in', '/in/', '/a b/c'])('accepts rule path %j', (v) =>
    expect(virtualPathProblem(v)).toBeUndefined(),
  );

  it.each(['', 'in', '/a/../b', '//a', '/a//b', '/./a', '/a\\b', '/a\rb'])(
    'refuses rule path %j',
    (v) => expect(virtualPathProblem(v)).toBeDefined(),
  );

  it('resolves homes under the root and throws for anything that would leave it', () => {
    expect(resolveHomeDir('/srv/ftp', 'a/b')).toBe(path.resolve('/srv/ftp/a/b'));
    expect(() => resolveHomeDir('/srv/ftp', '../etc')).toThrow();
    expect(() => resolveHomeDir('/srv/ftp', '/etc')).toThrow();
    expect(() => resolveHomeDir('/srv/ftp', '')).toThrow();
  });
});
