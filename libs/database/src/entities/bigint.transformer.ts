import type { ValueTransformer } from 'typeorm';

/**
 * node-postgres returns `bigint` columns as strings (they can exceed 2^53).
 * Byte counts and limits in Wharf stay far below 2^53 (8 PiB), so they are
 * numbers in code; a value that would lose precision is refused rather than
 * silently rounded.
 */
export const bigintToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null): number | null => {
    if (value === null || value === undefined) return null;
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${String(value)} exceeds 2^53`);
    return n;
  },
};
