import { addressAllowed, IpAllowList, unmapIpv4 } from './ip-allow-list';

describe('IpAllowList', () => {
  it('matches single IPv4 and IPv6 addresses', () => {
    const list = new IpAllowList(['192.0.2.10', '2001:db8::1']);
    expect(list.allows('192.0.2.10')).toBe(true);
    expect(list.allows('192.0.2.11')).toBe(false);
    expect(list.allows('2001:db8::1')).toBe(true);
    expect(list.allows('2001:db8::2')).toBe(false);
  });

  it('matches CIDR blocks of both families', () => {
    const list = new IpAllowList(['10.0.0.0/8', '2001:db8:1::/48']);
    expect(list.allows('10.200.3.4')).toBe(true);
    expect(list.allows('11.0.0.1')).toBe(false);
    expect(list.allows('2001:db8:1:ffff::5')).toBe(true);
    expect(list.allows('2001:db8:2::5')).toBe(false);
  });

  it('checks an IPv4-mapped IPv6 client as its IPv4 address', () => {
    const list = new IpAllowList(['127.0.0.0/8']);
    expect(list.allows('::ffff:127.0.0.1')).toBe(true);
    expect(list.allows('::ffff:128.0.0.1')).toBe(false);
  });

  it('accepts IPv4-mapped entries, single and as blocks', () => {
    expect(new IpAllowList(['::ffff:192.0.2.1']).allows('192.0.2.1')).toBe(true);
    expect(new IpAllowList(['::ffff:10.0.0.0/104']).allows('10.9.9.9')).toBe(true);
    expect(new IpAllowList(['::ffff:10.0.0.0/104']).allows('11.9.9.9')).toBe(false);
  });

  it('fails closed on garbage and on an empty list', () => {
    expect(new IpAllowList(['not-an-ip', '10.0.0.0/99']).allows('10.0.0.1')).toBe(false);
    expect(new IpAllowList([]).allows('127.0.0.1')).toBe(false);
    expect(new IpAllowList(['127.0.0.1']).allows('garbage')).toBe(false);
  });

  it('treats a null list as unrestricted', () => {
    expect(addressAllowed(null, '203.0.113.9')).toBe(true);
    expect(addressAllowed(['127.0.0.1'], '203.0.113.9')).toBe(false);
  });

  it('unmaps only IPv4-mapped addresses', () => {
    expect(unmapIpv4('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(unmapIpv4('::1')).toBe('::1');
  });
});
