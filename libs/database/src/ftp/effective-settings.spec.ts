import { FtpPermission as P } from '@wharf/contracts';

import {
  type GroupInput,
  isAllowed,
  type LimitValues,
  resolveEffectiveSettings,
} from './effective-settings';

const noLimits: LimitValues = {
  quotaBytes: null,
  quotaFiles: null,
  uploadQuotaBytes: null,
  downloadQuotaBytes: null,
  quotaPeriod: null,
  uploadBandwidth: null,
  downloadBandwidth: null,
  maxSessions: null,
  allowedIps: null,
  requireTls: null,
};

const group = (name: string, over: Partial<GroupInput> = {}): GroupInput => ({
  ...noLimits,
  name,
  rules: [],
  ...over,
});

describe('resolveEffectiveSettings', () => {
  it('reports defaults when nobody sets anything', () => {
    const e = resolveEffectiveSettings({ ...noLimits, rules: [] }, []);
    expect(e.limits.quotaBytes).toEqual({ value: null, source: 'default' });
    expect(e.limits.requireTls).toEqual({ value: false, source: 'default' });
    expect(e.limits.quotaPeriod).toEqual({ value: 'month', source: 'default' });
    expect(e.permissions).toEqual([]);
  });

  it("lets the user's own value win, else the most permissive group", () => {
    const e = resolveEffectiveSettings({ ...noLimits, maxSessions: 1, rules: [] }, [
      group('b', { quotaBytes: 100, maxSessions: 9, requireTls: true }),
      group('a', { quotaBytes: 500, requireTls: false, quotaPeriod: 'day' }),
      group('c', { quotaBytes: 500, requireTls: true, quotaPeriod: 'month' }),
    ]);
    expect(e.limits.maxSessions).toEqual({ value: 1, source: 'user' });
    expect(e.limits.quotaBytes).toEqual({ value: 500, source: 'group:a' });
    expect(e.limits.requireTls).toEqual({ value: false, source: 'group:a' });
    expect(e.limits.quotaPeriod).toEqual({ value: 'day', source: 'group:a' });
  });

  it('unites allowed IPs of groups unless the user sets them', () => {
    const groups = [
      group('x', { allowedIps: ['10.0.0.0/8'] }),
      group('y', { allowedIps: ['192.0.2.1'] }),
    ];
    expect(resolveEffectiveSettings({ ...noLimits, rules: [] }, groups).limits.allowedIps).toEqual({
      value: ['10.0.0.0/8', '192.0.2.1'],
      source: 'group:x,group:y',
    });
    expect(
      resolveEffectiveSettings({ ...noLimits, allowedIps: ['::1'], rules: [] }, groups).limits
        .allowedIps,
    ).toEqual({ value: ['::1'], source: 'user' });
  });

  it('combines permission rules: user replaces a path, longest prefix wins', () => {
    const e = resolveEffectiveSettings(
      { ...noLimits, rules: [{ path: '/in', allow: [P.Upload] }] },
      [
        group('g1', { rules: [{ path: '/', allow: [P.List, P.Download] }] }),
        group('g2', {
          rules: [
            { path: '/', allow: [P.Mkdir] },
            { path: '/in', allow: [P.Delete] },
          ],
        }),
      ],
    );
    expect(e.permissions).toEqual([
      { path: '/', allow: [P.List, P.Download, P.Mkdir], source: 'group:g1,group:g2' },
      { path: '/in', allow: [P.Upload], source: 'user' },
    ]);
    expect(isAllowed(e.permissions, '/in/file', P.Upload)).toBe(true);
    expect(isAllowed(e.permissions, '/in/file', P.Delete)).toBe(false);
    expect(isAllowed(e.permissions, '/inbox', P.Upload)).toBe(false);
    expect(isAllowed(e.permissions, '/inbox', P.Download)).toBe(true);
  });
});
