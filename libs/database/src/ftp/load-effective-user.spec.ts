import { FtpPermission as P } from '@wharf/contracts';
import type { DataSource } from 'typeorm';

import { createDataSource } from '../data-source';
import { FtpGroup } from '../entities/ftp-group.entity';
import { FtpPermissionRule } from '../entities/ftp-permission-rule.entity';
import { FtpUser } from '../entities/ftp-user.entity';
import { GroupMembership } from '../entities/group-membership.entity';
import { loadEffectiveFtpUser } from './load-effective-user';

describe('loadEffectiveFtpUser', () => {
  let ds: DataSource;
  const tag = `le${process.pid}x${Date.now().toString(36)}`;

  beforeAll(async () => {
    ds = createDataSource(process.env.WHARF_TEST_DATABASE_URL!, { poolSize: 2 });
    await ds.initialize();
  });

  afterAll(async () => {
    await ds.destroy();
  });

  it('finds a user case-insensitively with bigint limits as numbers and merged settings', async () => {
    const user = await ds.getRepository(FtpUser).save({
      username: `${tag}-User`,
      passwordHash: 'x',
      homeDir: `${tag}-user`,
      quotaBytes: 5 * 1024 ** 4, // beyond 2^32: bigint read back as a number
      maxSessions: null,
      allowedIps: null,
      requireTls: null,
    });
    const group = await ds.getRepository(FtpGroup).save({
      name: `${tag}-g`,
      maxSessions: 3,
      allowedIps: ['10.0.0.0/8'],
    });
    await ds.getRepository(GroupMembership).insert({ userId: user.id, groupId: group.id });
    await ds.getRepository(FtpPermissionRule).insert([
      { userId: user.id, groupId: null, path: '/', allow: [P.List] },
      { userId: null, groupId: group.id, path: '/drop', allow: [P.Upload] },
    ]);

    const found = await loadEffectiveFtpUser(ds.manager, { username: `${tag}-user`.toUpperCase() });
    expect(found?.user.id).toBe(user.id);
    expect(found?.groups).toEqual([{ id: group.id, name: group.name }]);
    expect(found?.settings.limits.quotaBytes).toEqual({ value: 5 * 1024 ** 4, source: 'user' });
    expect(found?.settings.limits.maxSessions).toEqual({ value: 3, source: `group:${group.name}` });
    expect(found?.settings.limits.allowedIps.value).toEqual(['10.0.0.0/8']);
    expect(found?.settings.permissions).toEqual([
      { path: '/', allow: [P.List], source: 'user' },
      { path: '/drop', allow: [P.Upload], source: `group:${group.name}` },
    ]);

    expect((await loadEffectiveFtpUser(ds.manager, { id: user.id }))?.user.username).toBe(
      user.username,
    );
    expect(await loadEffectiveFtpUser(ds.manager, { username: `${tag}-nobody` })).toBeNull();
  });

  it('the database refuses what the API would: bad home dir, second rule owner, unknown permission', async () => {
    const repo = ds.getRepository(FtpUser);
    await expect(
      repo.insert({ username: `${tag}-bad`, passwordHash: 'x', homeDir: '../escape' }),
    ).rejects.toThrow(/CHK_ftp_users_home_dir|check constraint/i);
    await expect(
      repo.insert({ username: `${tag} bad`, passwordHash: 'x', homeDir: 'ok' }),
    ).rejects.toThrow(/check constraint/i);
    const u = await repo.save({ username: `${tag}-ok`, passwordHash: 'x', homeDir: `${tag}-ok` });
    await expect(
      repo.insert({ username: `${tag}-OK`, passwordHash: 'x', homeDir: 'other' }),
    ).rejects.toThrow(/IDX_ftp_users_username_lower|duplicate key/i);
    const g = await ds.getRepository(FtpGroup).save({ name: `${tag}-owner` });
    const rules = ds.getRepository(FtpPermissionRule);
    await expect(
      rules.insert({ userId: u.id, groupId: g.id, path: '/', allow: [P.List] }),
    ).rejects.toThrow(/check constraint/i);
    await expect(
      rules.insert({ userId: u.id, groupId: null, path: '/', allow: ['fly' as P] }),
    ).rejects.toThrow(/check constraint/i);
  });
});
