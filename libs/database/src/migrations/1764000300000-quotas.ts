import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Storage quota reservations (issue 4 §4, docs/design/2026-11-25-quotas.md).
 *
 * - `usage.reserved_bytes` / `reserved_files` are the denormalised sum of the
 *   live reservations. They sit on the usage row so that one conditional
 *   UPDATE of that row (which PostgreSQL serialises with its row lock) decides
 *   every reservation: a check over a SUM of reservation rows would race.
 * - `usage_reservations` says which upload holds what, on which worker
 *   incarnation, so the reconcile job can give back what a dead worker held.
 * - `usage_corrections` records what the reconcile job changed.
 * - Per-server bandwidth caps, combined with the user's own as the minimum.
 */
export class Quotas1764000300000 implements MigrationInterface {
  name = 'Quotas1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "usage"
        ADD COLUMN "reserved_bytes" bigint NOT NULL DEFAULT 0,
        ADD COLUMN "reserved_files" bigint NOT NULL DEFAULT 0,
        ADD CONSTRAINT "CHK_usage_counters_not_negative" CHECK (
          "used_bytes" >= 0 AND "used_files" >= 0 AND "reserved_bytes" >= 0
          AND "reserved_files" >= 0 AND "period_upload_bytes" >= 0
          AND "period_download_bytes" >= 0
        )`);

    await q.query(`
      CREATE TABLE "usage_reservations" (
        "id" uuid PRIMARY KEY,
        "ftp_user_id" uuid NOT NULL REFERENCES "ftp_users" ("id") ON DELETE CASCADE,
        "worker_id" text NOT NULL,
        "worker_started_at" timestamptz,
        "session_id" text NOT NULL,
        "path" text NOT NULL,
        "bytes" bigint NOT NULL DEFAULT 0 CHECK ("bytes" >= 0),
        "files" integer NOT NULL DEFAULT 0 CHECK ("files" IN (0, 1)),
        "upload_bytes" bigint NOT NULL DEFAULT 0 CHECK ("upload_bytes" >= 0),
        "period_start" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX "IDX_usage_reservations_ftp_user_id" ON "usage_reservations" ("ftp_user_id")`,
    );
    await q.query(
      `CREATE INDEX "IDX_usage_reservations_worker_id" ON "usage_reservations" ("worker_id")`,
    );

    await q.query(`
      CREATE TABLE "usage_corrections" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "ftp_user_id" uuid REFERENCES "ftp_users" ("id") ON DELETE SET NULL,
        "username" text,
        "kind" text NOT NULL CHECK ("kind" IN ('drift', 'dead-worker-reservation')),
        "worker_id" text,
        "used_bytes_before" bigint,
        "used_bytes_after" bigint,
        "used_files_before" bigint,
        "used_files_after" bigint,
        "reserved_bytes_released" bigint NOT NULL DEFAULT 0,
        "reserved_files_released" bigint NOT NULL DEFAULT 0,
        "details" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "corrected_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX "IDX_usage_corrections_corrected_at" ON "usage_corrections" ("corrected_at")`,
    );
    await q.query(
      `CREATE INDEX "IDX_usage_corrections_ftp_user_id_corrected_at" ON "usage_corrections" ("ftp_user_id", "corrected_at")`,
    );

    await q.query(`
      ALTER TABLE "servers"
        ADD COLUMN "upload_bandwidth" bigint CHECK ("upload_bandwidth" >= 0),
        ADD COLUMN "download_bandwidth" bigint CHECK ("download_bandwidth" >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "servers" DROP COLUMN "download_bandwidth", DROP COLUMN "upload_bandwidth"`,
    );
    await q.query(`DROP TABLE "usage_corrections"`);
    await q.query(`DROP TABLE "usage_reservations"`);
    await q.query(`
      ALTER TABLE "usage"
        DROP CONSTRAINT "CHK_usage_counters_not_negative",
        DROP COLUMN "reserved_files",
        DROP COLUMN "reserved_bytes"`);
  }
}
