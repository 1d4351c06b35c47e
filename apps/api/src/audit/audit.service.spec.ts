import { auditChanges, redact, REDACTED } from './audit.service';

describe('audit redaction and diffing', () => {
  it('redacts secret-named keys at any depth', () => {
    expect(
      redact({
        username: 'bob',
        password: 'hunter2',
        passwordHash: '$argon2id$...',
        tls: { certificatePem: 'CERT', privateKeyPem: 'KEY', keyPem: 'KEY' },
        apiToken: 't',
        clientSecret: 's',
        at: new Date('2026-01-01T00:00:00Z'),
      }),
    ).toEqual({
      username: 'bob',
      password: REDACTED,
      passwordHash: REDACTED,
      tls: { certificatePem: 'CERT', privateKeyPem: REDACTED, keyPem: REDACTED },
      apiToken: REDACTED,
      clientSecret: REDACTED,
      at: '2026-01-01T00:00:00.000Z',
    });
  });

  it('keeps only changed fields on update; a changed secret shows as redacted on both sides', () => {
    expect(
      auditChanges(
        { username: 'bob', quotaBytes: 1, passwordHash: 'old', enabled: true },
        { username: 'bob', quotaBytes: 2, passwordHash: 'new', enabled: true },
      ),
    ).toEqual({
      before: { quotaBytes: 1, passwordHash: REDACTED },
      after: { quotaBytes: 2, passwordHash: REDACTED },
    });
  });

  it('an unchanged secret does not appear', () => {
    expect(auditChanges({ passwordHash: 'same', a: 1 }, { passwordHash: 'same', a: 2 })).toEqual({
      before: { a: 1 },
      after: { a: 2 },
    });
  });

  it('create and delete keep the whole (redacted) side', () => {
    expect(auditChanges(null, { name: 'k', secretHash: 'h' })).toEqual({
      before: null,
      after: { name: 'k', secretHash: REDACTED },
    });
    expect(auditChanges({ name: 'k' }, undefined)).toEqual({ before: { name: 'k' }, after: null });
  });
});
