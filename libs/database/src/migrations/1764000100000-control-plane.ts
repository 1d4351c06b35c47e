import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Admins, API keys, the admin audit log, usage counters and the partitioned
 * transfer log. Runs after the FTP tables (1764000000000) because usage
 * references ftp_users. Hand-written: TypeORM cannot generate partitioned
 * tables or expression indexes.
 */
export class ControlPlane1764000100000 implements MigrationInterface {
  name = 'ControlPlane1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "admins" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "username" text NOT NULL,
        "password_hash" text NOT NULL,
        "role" text NOT NULL CHECK ("role" IN ('superadmin', 'admin', 'auditor')),
        "enabled" boolean NOT NULL DEFAULT true,
        "token_version" integer NOT NULL DEFAULT 0,
        "last_login_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "IDX_admins_username_lower" ON "admins" (lower("username"))`,
    );

    await q.query(`
      CREATE TABLE "api_keys" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "prefix" text NOT NULL,
        "secret_hash" text NOT NULL,
        "role" text NOT NULL CHECK ("role" IN ('superadmin', 'admin', 'auditor')),
        "created_by_id" uuid REFERENCES "admins" ("id") ON DELETE SET NULL,
        "created_by_username" text NOT NULL,
        "last_used_at" timestamptz,
        "expires_at" timestamptz,
        "revoked_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX "IDX_api_keys_prefix" ON "api_keys" ("prefix")`);
    await q.query(`CREATE UNIQUE INDEX "IDX_api_keys_secret_hash" ON "api_keys" ("secret_hash")`);
    await q.query(`CREATE INDEX "IDX_api_keys_created_by_id" ON "api_keys" ("created_by_id")`);

    await q.query(`
      CREATE TABLE "admin_audit_log" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "actor_kind" text NOT NULL CHECK ("actor_kind" IN ('admin', 'api-key')),
        "actor_id" uuid,
        "actor_username" text NOT NULL,
        "actor_role" text NOT NULL,
        "action" text NOT NULL,
        "target_type" text NOT NULL,
        "target_id" text NOT NULL,
        "changes" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "client_ip" inet,
        "at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "IDX_admin_audit_log_at" ON "admin_audit_log" ("at")`);
    await q.query(
      `CREATE INDEX "IDX_admin_audit_log_target_type_target_id_at" ON "admin_audit_log" ("target_type", "target_id", "at")`,
    );
    await q.query(
      `CREATE INDEX "IDX_admin_audit_log_actor_id_at" ON "admin_audit_log" ("actor_id", "at")`,
    );

    await q.query(`
      CREATE TABLE "usage" (
        "ftp_user_id" uuid PRIMARY KEY REFERENCES "ftp_users" ("id") ON DELETE CASCADE,
        "used_bytes" bigint NOT NULL DEFAULT 0,
        "used_files" bigint NOT NULL DEFAULT 0,
        "period_start" timestamptz,
        "period_upload_bytes" bigint NOT NULL DEFAULT 0,
        "period_download_bytes" bigint NOT NULL DEFAULT 0,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);

    // Monthly range partitions are created ahead by ensureTransferLogPartitions;
    // the default partition catches anything outside them so no event is refused.
    await q.query(`
      CREATE TABLE "transfer_logs" (
        "id" uuid NOT NULL,
        "occurred_at" timestamptz NOT NULL,
        "worker_id" text,
        "server_id" uuid,
        "session_id" text,
        "user_id" uuid,
        "username" text,
        "client_ip" inet,
        "client_port" integer,
        "tls_version" text,
        "operation" text NOT NULL,
        "command" text,
        "path" text,
        "target_path" text,
        "bytes" bigint NOT NULL DEFAULT 0,
        "duration_ms" integer,
        "outcome" text NOT NULL,
        "reason" text,
        "sha256" text,
        CONSTRAINT "PK_transfer_logs" PRIMARY KEY ("id", "occurred_at")
      ) PARTITION BY RANGE ("occurred_at")`);
    await q.query(
      `CREATE INDEX "IDX_transfer_logs_occurred_at" ON "transfer_logs" ("occurred_at")`,
    );
    await q.query(
      `CREATE INDEX "IDX_transfer_logs_user_id_occurred_at" ON "transfer_logs" ("user_id", "occurred_at")`,
    );
    await q.query(
      `CREATE INDEX "IDX_transfer_logs_client_ip_occurred_at" ON "transfer_logs" ("client_ip", "occurred_at")`,
    );
    await q.query(
      `CREATE INDEX "IDX_transfer_logs_operation_outcome_occurred_at" ON "transfer_logs" ("operation", "outcome", "occurred_at")`,
    );
    await q.query(`CREATE TABLE "transfer_logs_default" PARTITION OF "transfer_logs" DEFAULT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "transfer_logs"`);
    await q.query(`DROP TABLE "usage"`);
    await q.query(`DROP TABLE "admin_audit_log"`);
    await q.query(`DROP TABLE "api_keys"`);
    await q.query(`DROP TABLE "admins"`);
  }
}
