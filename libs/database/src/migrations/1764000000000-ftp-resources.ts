import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * FTP users, groups, memberships, permission rules, servers, workers and
 * server/worker assignments. Hand-written: every constraint here is one the
 * API relies on (case-insensitive uniqueness, exactly one rule owner, valid
 * enums and port ranges), so the database refuses bad rows even when a
 * future code path forgets to validate.
 *
 * Must run before the control-plane migration: `usage` references ftp_users.
 */
export class FtpResources1764000000000 implements MigrationInterface {
  name = 'FtpResources1764000000000';

  async up(q: QueryRunner): Promise<void> {
    const limits = `
      quota_bytes bigint CHECK (quota_bytes >= 0),
      quota_files bigint CHECK (quota_files >= 0),
      upload_quota_bytes bigint CHECK (upload_quota_bytes >= 0),
      download_quota_bytes bigint CHECK (download_quota_bytes >= 0),
      quota_period varchar(8) CHECK (quota_period IN ('day', 'month')),
      upload_bandwidth bigint CHECK (upload_bandwidth >= 0),
      download_bandwidth bigint CHECK (download_bandwidth >= 0),
      max_sessions integer CHECK (max_sessions >= 0),
      allowed_ips text[],
      require_tls boolean`;

    await q.query(`
      CREATE TABLE ftp_users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(64) NOT NULL,
        password_hash text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        expires_at timestamptz,
        home_dir varchar(1024) NOT NULL,
        ${limits},
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT CHK_ftp_users_username CHECK (username ~ '^[a-zA-Z0-9][a-zA-Z0-9._@-]{2,63}$'),
        CONSTRAINT CHK_ftp_users_home_dir CHECK (
          home_dir <> '' AND left(home_dir, 1) <> '/' AND home_dir !~ '(^|/)\\.\\.?(/|$)'
        )
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "IDX_ftp_users_username_lower" ON ftp_users (lower(username))`,
    );
    await q.query(`CREATE INDEX "IDX_ftp_users_created_at" ON ftp_users (created_at)`);

    await q.query(`
      CREATE TABLE groups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(64) NOT NULL,
        description text,
        ${limits},
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX "IDX_groups_name_lower" ON groups (lower(name))`);

    await q.query(`
      CREATE TABLE group_memberships (
        user_id uuid NOT NULL REFERENCES ftp_users (id) ON DELETE CASCADE,
        group_id uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, group_id)
      )`);
    await q.query(`CREATE INDEX "IDX_group_memberships_group_id" ON group_memberships (group_id)`);

    await q.query(`
      CREATE TABLE permission_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid REFERENCES ftp_users (id) ON DELETE CASCADE,
        group_id uuid REFERENCES groups (id) ON DELETE CASCADE,
        path varchar(1024) NOT NULL,
        allow text[] NOT NULL,
        CONSTRAINT CHK_permission_rules_owner CHECK ((user_id IS NULL) <> (group_id IS NULL)),
        CONSTRAINT CHK_permission_rules_path CHECK (left(path, 1) = '/'),
        CONSTRAINT CHK_permission_rules_allow CHECK (
          allow <@ ARRAY['list', 'download', 'upload', 'overwrite', 'append', 'delete',
                         'rename', 'mkdir', 'rmdir', 'mfmt']::text[]
        )
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "IDX_permission_rules_user_id_path" ON permission_rules (user_id, path) WHERE user_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "IDX_permission_rules_group_id_path" ON permission_rules (group_id, path) WHERE group_id IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE servers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(64) NOT NULL,
        bind_address varchar(255) NOT NULL DEFAULT '0.0.0.0',
        port integer NOT NULL CHECK (port BETWEEN 0 AND 65535),
        tls_mode varchar(16) NOT NULL DEFAULT 'none' CHECK (tls_mode IN ('none', 'explicit', 'implicit')),
        cert_pem text,
        key_pem text,
        require_tls boolean NOT NULL DEFAULT false,
        require_tls_session_reuse boolean NOT NULL DEFAULT false,
        passive_port_min integer NOT NULL,
        passive_port_max integer NOT NULL,
        public_host varchar(255),
        banner text,
        login_timeout_s integer NOT NULL DEFAULT 30 CHECK (login_timeout_s > 0),
        idle_timeout_s integer NOT NULL DEFAULT 300 CHECK (idle_timeout_s > 0),
        max_connections integer CHECK (max_connections >= 0),
        max_connections_per_ip integer CHECK (max_connections_per_ip >= 0),
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT CHK_servers_passive_ports CHECK (
          passive_port_min BETWEEN 1024 AND 65535 AND passive_port_max BETWEEN 1024 AND 65535
          AND passive_port_min <= passive_port_max
        ),
        CONSTRAINT CHK_servers_tls_material CHECK (
          tls_mode = 'none' OR (cert_pem IS NOT NULL AND key_pem IS NOT NULL)
        )
      )`);
    await q.query(`CREATE UNIQUE INDEX "IDX_servers_name_lower" ON servers (lower(name))`);
    // Port 0 (ephemeral, tests) may repeat; any real port is one listener per address.
    await q.query(
      `CREATE UNIQUE INDEX "IDX_servers_bind_address_port" ON servers (bind_address, port) WHERE port <> 0`,
    );

    await q.query(`
      CREATE TABLE workers (
        id text PRIMARY KEY,
        hostname text NOT NULL,
        version text NOT NULL,
        started_at timestamptz NOT NULL,
        last_heartbeat_at timestamptz NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'starting'
          CHECK (status IN ('starting', 'running', 'draining', 'stopped')),
        session_count integer NOT NULL DEFAULT 0,
        meta jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX "IDX_workers_last_heartbeat_at" ON workers (last_heartbeat_at)`);

    await q.query(`
      CREATE TABLE server_workers (
        server_id uuid NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
        worker_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (server_id, worker_id)
      )`);
    await q.query(`CREATE INDEX "IDX_server_workers_worker_id" ON server_workers (worker_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE server_workers`);
    await q.query(`DROP TABLE workers`);
    await q.query(`DROP TABLE servers`);
    await q.query(`DROP TABLE permission_rules`);
    await q.query(`DROP TABLE group_memberships`);
    await q.query(`DROP TABLE groups`);
    await q.query(`DROP TABLE ftp_users`);
  }
}
