import { apiUrl, toQueryString } from './api-url';

describe('apiUrl', () => {
  it('repeats array filters, writes dates as ISO and drops empty values', () => {
    const query = toQueryString({
      operation: ['upload', 'download'],
      from: new Date(Date.UTC(2026, 0, 2)),
      username: '',
      serverId: null,
      q: 'a b',
    });
    expect(query).toBe(
      'operation=upload&operation=download&from=2026-01-02T00%3A00%3A00.000Z&q=a+b',
    );
    expect(apiUrl('transfers', { dryRun: true })).toBe('/api/v1/transfers?dryRun=true');
    expect(apiUrl('/transfers', {})).toBe('/api/v1/transfers');
  });
});
