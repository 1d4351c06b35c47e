import type { TestDatabase } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const db = (globalThis as Record<string, unknown>).__WHARF_TEST_DB__ as TestDatabase | undefined;
  await db?.drop();
}
