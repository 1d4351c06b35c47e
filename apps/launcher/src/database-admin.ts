import { Client } from 'pg';
import type { DataSource } from 'typeorm';

/** Creates `name` on the server when it does not exist yet. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** `npm run db:reset`: drops every Wharf schema object, including the queue schema. */
export async function resetDatabase(ds: DataSource): Promise<void> {
  const schemas: { nspname: string }[] = await ds.query(
    `SELECT nspname FROM pg_namespace WHERE nspname = 'public' OR nspname LIKE '%\\_queues'`,
  );
  for (const { nspname } of schemas) {
    await ds.query(`DROP SCHEMA "${nspname.replace(/"/g, '""')}" CASCADE`);
  }
  await ds.query('CREATE SCHEMA public');
}
