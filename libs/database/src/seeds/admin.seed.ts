import { randomBytes } from 'node:crypto';

import { AdminRole } from '@wharf/contracts';
import type { DataSource } from 'typeorm';

import { AdminEntity } from '../entities/control-plane.entities';
import { hashPassword } from '../passwords';

export interface SeedFirstAdminResult {
  created: boolean;
  username: string;
  /** Only when it was generated here: the caller prints it once. */
  password?: string;
}

/** 24 random bytes as base64url: 32 characters, 192 bits. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Creates the first superadmin when the admins table is empty; otherwise does
 * nothing (an existing installation keeps its admins and passwords).
 */
export async function seedFirstAdmin(
  dataSource: DataSource,
  options: { username: string; password?: string },
): Promise<SeedFirstAdminResult> {
  return dataSource.transaction(async (manager) => {
    // Two launchers starting at once must not both seed.
    await manager.query('LOCK TABLE "admins" IN SHARE ROW EXCLUSIVE MODE');
    const repo = manager.getRepository(AdminEntity);
    const existing = await repo.count();
    if (existing > 0) return { created: false, username: options.username };
    const generated = options.password === undefined ? generatePassword() : undefined;
    await repo.insert({
      username: options.username,
      passwordHash: await hashPassword(options.password ?? generated!),
      role: AdminRole.Superadmin,
      enabled: true,
    });
    return generated === undefined
      ? { created: true, username: options.username }
      : { created: true, username: options.username, password: generated };
  });
}
