import { FtpPermission as P } from '@wharf/contracts';
import type { EffectiveRule } from '@wharf/database';

import { authorizeByRules } from './permission-policy';

const rule = (path: string, allow: P[]): EffectiveRule => ({ path, allow, source: 'user' });

describe('authorizeByRules', () => {
  const rules = [
    rule('/', [P.List, P.Download]),
    rule('/incoming', [P.List, P.Upload, P.Mkdir]),
    rule('/incoming/locked', []),
  ];

  it('lets the longest matching prefix win', () => {
    expect(authorizeByRules(rules, 'upload', '/incoming/a.txt')).toBe(true);
    expect(authorizeByRules(rules, 'upload', '/a.txt')).toMatch(
      /"upload" is not allowed under \/\.$/,
    );
    expect(authorizeByRules(rules, 'list', '/incoming/locked/x')).toMatch(
      /"list" is not allowed under \/incoming\/locked/,
    );
  });

  it('does not treat /incomingX as under /incoming', () => {
    expect(authorizeByRules(rules, 'upload', '/incomingX/a')).not.toBe(true);
  });

  it('denies when no rule matches', () => {
    expect(authorizeByRules([rule('/pub', [P.List])], 'list', '/')).toMatch(/no rule/);
  });

  it('governs chmod with the mfmt permission', () => {
    expect(authorizeByRules([rule('/', [P.Mfmt])], 'chmod', '/f')).toBe(true);
    expect(authorizeByRules([rule('/', [P.List])], 'chmod', '/f')).not.toBe(true);
  });
});
