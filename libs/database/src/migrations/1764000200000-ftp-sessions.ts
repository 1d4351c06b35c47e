import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live FTP sessions as reported by the workers (issue 4 §6). Rows go with
 * their worker (FK ON DELETE CASCADE); readers also ignore rows of workers
 * whose heartbeat is stale.
 */
export class FtpSessions1764000200000 implements MigrationInterface {
  name = 'FtpSessions1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "ftp_sessions" (
        "id" text PRIMARY KEY,
        "worker_id" text NOT NULL REFERENCES "workers" ("id") ON DELETE CASCADE,
        "server_id" uuid,
        "user_id" uuid,
        "username" text,
        "client_ip" inet NOT NULL,
        "client_port" integer NOT NULL,
        "tls" text,
        "login_at" timestamptz,
        "current_command" text,
        "bytes_transferred" bigint NOT NULL DEFAULT 0,
        "transfer" jsonb,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "IDX_ftp_sessions_worker_id" ON "ftp_sessions" ("worker_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "ftp_sessions"`);
  }
}
