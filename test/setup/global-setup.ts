/* Jest globalSetup: one uniquely named database per run (ARCHITECTURE/STYLE "Tests"). */
import * as os from 'node:os';
import * as path from 'node:path';

import { createTestDatabase } from './test-database';

export default async function globalSetup(): Promise<void> {
  const db = await createTestDatabase({
    // The only env reads of the test harness: which services this machine offers.
    databaseUrl: process.env.DATABASE_URL,
    embeddedDir: path.join(os.tmpdir(), `wharf-test-pg-${process.pid}`),
  });
  (globalThis as Record<string, unknown>).__WHARF_TEST_DB__ = db;
  process.env.WHARF_TEST_DATABASE_URL = db.url;
  process.env.WHARF_TEST_RUN_ID = db.runId;
  if (process.env.REDIS_URL) process.env.WHARF_TEST_REDIS_URL = process.env.REDIS_URL;
}
