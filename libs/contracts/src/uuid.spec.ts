import { uuidv7 } from './uuid';

describe('uuidv7', () => {
  it('has version 7, the RFC 9562 variant and the timestamp in front', () => {
    const id = uuidv7(0x0123456789ab);
    expect(id).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('puts all 48 bits of the time first, also past 2^32 ms', () => {
    expect(uuidv7(0xffffffffffff).slice(0, 13)).toBe('ffffffff-ffff');
    expect(uuidv7(0x000100000000).slice(0, 13)).toBe('00010000-0000');
    expect(uuidv7(Date.UTC(2026, 10, 26)).slice(0, 13)).toBe(
      Date.UTC(2026, 10, 26).toString(16).padStart(12, '0').replace(/^(.{8})/, '$1-'),
    );
  });

  it('never repeats and keeps the version and variant bits over many pool refills', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const id = uuidv7(1234);
      expect(id).toMatch(/^00000000-04d2-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(5000);
  });

  it('sorts by creation time', () => {
    const a = uuidv7(1000);
    const b = uuidv7(2000);
    expect([b, a].sort()).toEqual([a, b]);
  });
});
