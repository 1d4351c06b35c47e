import { bigintToNumber } from './bigint.transformer';

describe('bigintToNumber', () => {
  const from = (value: unknown) => bigintToNumber.from(value) as unknown;

  it('reads node-postgres bigint strings as numbers and keeps null', () => {
    expect(from('0')).toBe(0);
    expect(from('1099511627776')).toBe(1_099_511_627_776);
    expect(from(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(from(42)).toBe(42);
    expect(from(null)).toBeNull();
  });

  it('refuses a value that would lose precision, naming it', () => {
    expect(() => from('9007199254740993')).toThrow(
      new RangeError('bigint 9007199254740993 exceeds 2^53'),
    );
    expect(() => from('9223372036854775807')).toThrow(RangeError);
  });

  it('writes numbers through unchanged', () => {
    expect(bigintToNumber.to(5)).toBe(5);
    expect(bigintToNumber.to(null)).toBeNull();
  });
});
