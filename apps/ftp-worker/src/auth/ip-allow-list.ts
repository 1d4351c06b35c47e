import { BlockList, isIP } from 'node:net';

/** `::ffff:192.0.2.1` (a v4 client on a dual-stack socket) is the v4 address it carries. */
export function unmapIpv4(address: string): string {
  const match = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return match ? match[1]! : address;
}

/**
 * The `allowedIps` of a user: single addresses and CIDR blocks, IPv4 and
 * IPv6. An IPv4-mapped IPv6 client address is checked as the IPv4 address it
 * is, and an IPv4-mapped entry as its IPv4 form. Unparseable entries match
 * nothing (fail closed); the API validates them on save anyway.
 */
export class IpAllowList {
  private readonly list = new BlockList();
  private empty = true;

  constructor(entries: readonly string[]) {
    for (const raw of entries) this.add(raw.trim());
  }

  private add(entry: string): void {
    const [addressPart, prefixPart] = entry.split('/') as [string, string | undefined];
    const address = unmapIpv4(addressPart);
    const family = isIP(address);
    if (family === 0) return;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefixPart === undefined) {
      this.list.addAddress(address, type);
      this.empty = false;
      return;
    }
    let prefix = Number(prefixPart);
    // A mapped block "::ffff:10.0.0.0/104" is the v4 block 10.0.0.0/8.
    if (address !== addressPart && family === 4) prefix -= 96;
    const max = family === 4 ? 32 : 128;
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return;
    this.list.addSubnet(address, prefix, type);
    this.empty = false;
  }

  allows(clientAddress: string): boolean {
    if (this.empty) return false;
    const address = unmapIpv4(clientAddress.replace(/%.*$/, ''));
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** null = no restriction; an empty list allows nobody. */
export function addressAllowed(
  allowedIps: readonly string[] | null,
  clientAddress: string,
): boolean {
  if (allowedIps === null) return true;
  return new IpAllowList(allowedIps).allows(clientAddress);
}
