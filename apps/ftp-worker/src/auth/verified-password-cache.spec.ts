import { VerifiedPasswordCache } from './verified-password-cache';

describe('VerifiedPasswordCache', () => {
  it('hits only for the same user, stored hash and password', () => {
    const cache = new VerifiedPasswordCache();
    cache.remember('u1', '$argon2id$a', 'secret');
    expect(cache.has('u1', '$argon2id$a', 'secret')).toBe(true);
    expect(cache.has('u1', '$argon2id$a', 'Secret')).toBe(false);
    expect(cache.has('u2', '$argon2id$a', 'secret')).toBe(false);
  });

  it('misses (and forgets) once the stored hash changed', () => {
    const cache = new VerifiedPasswordCache();
    cache.remember('u1', '$argon2id$old', 'secret');
    expect(cache.has('u1', '$argon2id$new', 'secret')).toBe(false);
    expect(cache.has('u1', '$argon2id$old', 'secret')).toBe(false);
  });

  it('expires entries and forgets a user on demand', () => {
    let now = 0;
    const cache = new VerifiedPasswordCache(1000, 10, () => now);
    cache.remember('u1', 'h', 'p');
    now = 999;
    expect(cache.has('u1', 'h', 'p')).toBe(true);
    now = 1000;
    expect(cache.has('u1', 'h', 'p')).toBe(false);
    cache.remember('u1', 'h', 'p');
    cache.forget('u1');
    expect(cache.has('u1', 'h', 'p')).toBe(false);
  });

  it('stays bounded', () => {
    const cache = new VerifiedPasswordCache(60_000, 2);
    cache.remember('a', 'h', 'p');
    cache.remember('b', 'h', 'p');
    cache.remember('c', 'h', 'p');
    expect(cache.size).toBe(2);
    expect(cache.has('a', 'h', 'p')).toBe(false);
    expect(cache.has('c', 'h', 'p')).toBe(true);
  });
});
