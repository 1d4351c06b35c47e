// globalSetup is loaded outside Jest's resolver; @wharf/* works because swc
// rewrites those paths at compile time (test/jest.config.js).
import { rm } from 'node:fs/promises';

import { createDataSource, startEmbeddedPostgres } from '@wharf/database';
import { Client } from 'pg';

export interface TestDatabase {
  url: string;
  runId: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Creates `wharf_test_<run id>` on the given server (or on an embedded
 * PostgreSQL when none is given), runs every migration, and returns a handle
 * that drops it again.
 */
export async function createTestDatabase(options: {
  databaseUrl: string | undefined;
  embeddedDir: string;
}): Promise<TestDatabase> {
  const embedded = options.databaseUrl
    ? undefined
    : await startEmbeddedPostgres(options.embeddedDir);
  const serverUrl = options.databaseUrl ?? embedded!.url;
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const name = `wharf_test_${runId}`;
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  const ds = createDataSource(url);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  return {
    url,
    runId,
    async drop() {
      const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
      if (embedded) {
        await embedded.stop();
        await rm(options.embeddedDir, { recursive: true, force: true });
      }
    },
  };
}
