import { Injectable } from '@nestjs/common';
import type { LimitValues } from '@wharf/database';
import { DataSource } from 'typeorm';

import type { UserUsageDelta } from './usage-deltas';

/** Counters of one user's usage row, as numbers. */
export interface UsageCounters {
  usedBytes: number;
  usedFiles: number;
  reservedBytes: number;
  reservedFiles: number;
  periodStart: Date | null;
  periodUploadBytes: number;
  periodDownloadBytes: number;
}

export interface ReservationOwner {
  reservationId: string;
  userId: string;
  workerId: string;
  sessionId: string;
  path: string;
}

/** What the reconcile job released for one dead reservation. */
export interface DroppedReservation {
  id: string;
  userId: string;
  workerId: string;
  sessionId: string;
  path: string;
  bytes: number;
  files: number;
  /** Given back to the upload transfer quota (0 when its period is over). */
  uploadBytes: number;
}

export interface UserHome {
  userId: string;
  username: string;
  homeDir: string;
}

const num = (value: string | number | null): number => (value === null ? 0 : Number(value));

/**
 * Transfer-period arithmetic shared by the statements below. `$ps` is the
 * period start the caller computed (UTC); a row still in an older period
 * counts as zero and is moved forward. A row already in a later period
 * (another worker's clock is ahead) keeps counting there.
 */
const inNewPeriod = (ps: string) => `(period_start IS NULL OR period_start < ${ps})`;
const nextPeriodStart = (ps: string) => `greatest(coalesce(period_start, ${ps}), ${ps})`;
const periodCounter = (column: string, ps: string) =>
  `(CASE WHEN ${inNewPeriod(ps)} THEN 0 ELSE ${column} END)`;

/**
 * Every quota statement. Each one is a single SQL statement, so it is atomic
 * on its own; the checks are conditions of an UPDATE of the user's usage row,
 * which PostgreSQL serialises through that row's lock and re-evaluates on the
 * newest row version (READ COMMITTED), so two workers can never both pass a
 * check that only one of them fits (STYLE.md "Data").
 */
@Injectable()
export class QuotaRepository {
  constructor(private readonly dataSource: DataSource) {}

  private async rows<T>(sql: string, params: unknown[]): Promise<T[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(sql, params, true);
      return (result.records ?? []) as T[];
    } finally {
      await runner.release();
    }
  }

  async ensureUsageRow(userId: string): Promise<void> {
    await this.rows(
      `INSERT INTO usage (ftp_user_id) VALUES ($1) ON CONFLICT (ftp_user_id) DO NOTHING`,
      [userId],
    );
  }

  /** The usage rows of many users in one statement (the reconcile job's page). */
  async ensureUsageRows(userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.rows(
      `INSERT INTO usage (ftp_user_id) SELECT unnest($1::uuid[])
       ON CONFLICT (ftp_user_id) DO NOTHING`,
      [userIds],
    );
  }

  async counters(userId: string): Promise<UsageCounters | null> {
    return (await this.countersOf([userId])).get(userId) ?? null;
  }

  /** Counters of many users in one statement; a user without a usage row is absent. */
  async countersOf(userIds: string[]): Promise<Map<string, UsageCounters>> {
    const found = new Map<string, UsageCounters>();
    if (userIds.length === 0) return found;
    const rows = await this.rows<
      Record<string, string | null> & { ftp_user_id: string; period_start: Date | null }
    >(
      `SELECT ftp_user_id, used_bytes, used_files, reserved_bytes, reserved_files, period_start,
              period_upload_bytes, period_download_bytes
         FROM usage WHERE ftp_user_id = ANY($1::uuid[])`,
      [userIds],
    );
    for (const row of rows) {
      found.set(row.ftp_user_id, {
        usedBytes: num(row.used_bytes!),
        usedFiles: num(row.used_files!),
        reservedBytes: num(row.reserved_bytes!),
        reservedFiles: num(row.reserved_files!),
        periodStart: row.period_start,
        periodUploadBytes: num(row.period_upload_bytes!),
        periodDownloadBytes: num(row.period_download_bytes!),
      });
    }
    return found;
  }

  /**
   * Opens the reservation of one upload. A new file takes a file slot, which
   * is refused when the file quota is full. False = refused.
   */
  async openReservation(
    owner: ReservationOwner,
    newFile: boolean,
    quotaFiles: number | null,
  ): Promise<boolean> {
    const found = await this.rows<{ id: string }>(
      `WITH u AS (
         UPDATE usage
            SET reserved_files = reserved_files + $6, updated_at = now()
          WHERE ftp_user_id = $2
            AND ($6 = 0 OR $7::bigint IS NULL OR used_files + reserved_files + $6 <= $7::bigint)
          RETURNING ftp_user_id
       )
       INSERT INTO usage_reservations
              (id, ftp_user_id, worker_id, worker_started_at, session_id, path, files)
       SELECT $1, u.ftp_user_id, $3,
              (SELECT started_at FROM workers WHERE id = $3), $4, $5, $6
         FROM u
       RETURNING id`,
      [
        owner.reservationId,
        owner.userId,
        owner.workerId,
        owner.sessionId,
        owner.path,
        newFile ? 1 : 0,
        quotaFiles,
      ],
    );
    return found.length === 1;
  }

  /**
   * Reserves `bytes` more for an open upload, against the storage quota and
   * the upload transfer quota at once. False = refused, nothing changed.
   */
  async reserveBytes(args: {
    reservationId: string;
    userId: string;
    bytes: number;
    quotaBytes: number | null;
    uploadQuotaBytes: number | null;
    periodStart: Date;
  }): Promise<boolean> {
    const found = await this.rows<{ id: string }>(
      `WITH u AS (
         UPDATE usage
            SET reserved_bytes = reserved_bytes + $3,
                period_upload_bytes = ${periodCounter('period_upload_bytes', '$6')} + $3,
                period_download_bytes = ${periodCounter('period_download_bytes', '$6')},
                period_start = ${nextPeriodStart('$6')},
                updated_at = now()
          WHERE ftp_user_id = $2
            AND EXISTS (SELECT 1 FROM usage_reservations WHERE id = $1)
            AND ($4::bigint IS NULL OR used_bytes + reserved_bytes + $3 <= $4::bigint)
            AND ($5::bigint IS NULL
                 OR ${periodCounter('period_upload_bytes', '$6')} + $3 <= $5::bigint)
          RETURNING ftp_user_id, period_start
       )
       UPDATE usage_reservations r
          SET bytes = r.bytes + $3,
              upload_bytes = CASE WHEN r.period_start IS DISTINCT FROM u.period_start
                                  THEN $3 ELSE r.upload_bytes + $3 END,
              period_start = u.period_start,
              updated_at = now()
         FROM u
        WHERE r.id = $1 AND r.ftp_user_id = u.ftp_user_id
       RETURNING r.id`,
      [
        args.reservationId,
        args.userId,
        args.bytes,
        args.quotaBytes,
        args.uploadQuotaBytes,
        args.periodStart,
      ],
    );
    // No row: over quota, or the reservation was dropped by the reconcile job
    // (then the EXISTS above kept the usage row untouched too).
    return found.length === 1;
  }

  /**
   * Gives back `bytes` of an open reservation that will not be written.
   * The unused tail of the reservation was the last charged to the upload
   * transfer quota, so it comes back from the current period when it is
   * still the one it was charged to.
   */
  async releaseBytes(reservationId: string, bytes: number): Promise<void> {
    await this.rows(
      `WITH old AS (
         SELECT id, ftp_user_id, least(bytes, $2) AS give, least(upload_bytes, $2) AS give_upload,
                period_start
           FROM usage_reservations WHERE id = $1 FOR UPDATE
       ),
       r AS (
         UPDATE usage_reservations x
            SET bytes = x.bytes - old.give, upload_bytes = x.upload_bytes - old.give_upload,
                updated_at = now()
           FROM old WHERE x.id = old.id
         RETURNING old.ftp_user_id, old.give, old.give_upload, old.period_start
       )
       UPDATE usage u
          SET reserved_bytes = greatest(u.reserved_bytes - r.give, 0),
              period_upload_bytes = greatest(u.period_upload_bytes
                - CASE WHEN u.period_start = r.period_start THEN r.give_upload ELSE 0 END, 0),
              updated_at = now()
         FROM r WHERE u.ftp_user_id = r.ftp_user_id`,
      [reservationId, bytes],
    );
  }

  /**
   * Closes a reservation: reserved turns into used by the actual growth of
   * the stored file (`usedBytesDelta`, negative when an overwrite shrank it),
   * the file slot becomes a used file when the upload created one, and the
   * part of the reservation that was never received goes back to the upload
   * transfer quota. Abort = close with zero deltas and zero received.
   *
   * The deltas apply even when the reservation row is already gone (dropped
   * by a reconcile that wrongly thought this worker dead): the file exists.
   *
   * `chargeUploadFrom`: the upload reserved nothing while its bytes arrived
   * (a user with neither storage nor upload transfer quota, see
   * QuotaSession.metersUploads), so the received bytes are added to the upload
   * counter of the period that starts there, here, in the same statement.
   */
  async closeReservation(args: {
    reservationId: string;
    userId: string;
    usedBytesDelta: number;
    usedFilesDelta: number;
    receivedBytes: number;
    chargeUploadFrom?: Date;
  }): Promise<void> {
    if (args.chargeUploadFrom) {
      await this.rows(
        `WITH r AS (
           DELETE FROM usage_reservations WHERE id = $1 RETURNING files
         ),
         t AS (SELECT coalesce(sum(files), 0) AS f FROM r)
         UPDATE usage u
            SET reserved_files = greatest(u.reserved_files - t.f, 0),
                used_bytes = greatest(u.used_bytes + $3, 0),
                used_files = greatest(u.used_files + $4, 0),
                period_upload_bytes = ${periodCounter('u.period_upload_bytes', '$6')} + $5,
                period_download_bytes = ${periodCounter('u.period_download_bytes', '$6')},
                period_start = ${nextPeriodStart('$6')},
                updated_at = now()
           FROM t WHERE u.ftp_user_id = $2`,
        [
          args.reservationId,
          args.userId,
          args.usedBytesDelta,
          args.usedFilesDelta,
          args.receivedBytes,
          args.chargeUploadFrom,
        ],
      );
      return;
    }
    await this.rows(
      `WITH r AS (
         DELETE FROM usage_reservations WHERE id = $1
         RETURNING bytes, files, upload_bytes, period_start
       ),
       t AS (
         SELECT coalesce(sum(bytes), 0) AS b, coalesce(sum(files), 0) AS f,
                coalesce(sum(least(upload_bytes, greatest(bytes - $5, 0))), 0) AS give_upload,
                max(period_start) AS ps
           FROM r
       )
       UPDATE usage u
          SET reserved_bytes = greatest(u.reserved_bytes - t.b, 0),
              reserved_files = greatest(u.reserved_files - t.f, 0),
              used_bytes = greatest(u.used_bytes + $3, 0),
              used_files = greatest(u.used_files + $4, 0),
              period_upload_bytes = greatest(u.period_upload_bytes
                - CASE WHEN u.period_start = t.ps THEN t.give_upload ELSE 0 END, 0),
              updated_at = now()
         FROM t WHERE u.ftp_user_id = $2`,
      [
        args.reservationId,
        args.userId,
        args.usedBytesDelta,
        args.usedFilesDelta,
        args.receivedBytes,
      ],
    );
  }

  /**
   * The written-behind usage of many users (UsageDeltaBuffer) in one
   * statement: used bytes and files move by their deltas, the transfer
   * counters of the period that starts at `periodStart` grow by theirs.
   */
  async applyUsageDeltas(periodStart: Date, deltas: UserUsageDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    await this.rows(
      `UPDATE usage u
          SET used_bytes = greatest(u.used_bytes + d.b, 0),
              used_files = greatest(u.used_files + d.f, 0),
              period_upload_bytes = ${periodCounter('u.period_upload_bytes', '$1')} + d.up,
              period_download_bytes = ${periodCounter('u.period_download_bytes', '$1')} + d.down,
              period_start = ${nextPeriodStart('$1')},
              updated_at = now()
         FROM unnest($2::uuid[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[])
              AS d(id, b, f, up, down)
        WHERE u.ftp_user_id = d.id`,
      [
        periodStart,
        deltas.map((d) => d.userId),
        deltas.map((d) => d.usedBytes),
        deltas.map((d) => d.usedFiles),
        deltas.map((d) => d.uploadBytes),
        deltas.map((d) => d.downloadBytes),
      ],
    );
  }

  /** A file (or the file a rename replaced) left the home. */
  async recordRemoval(userId: string, bytes: number, files: number): Promise<void> {
    await this.rows(
      `UPDATE usage
          SET used_bytes = greatest(used_bytes - $2, 0), used_files = greatest(used_files - $3, 0),
              updated_at = now()
        WHERE ftp_user_id = $1`,
      [userId, bytes, files],
    );
  }

  /**
   * Charges `bytes` of download to the current period, refused (false) when
   * the download quota would be exceeded. Returns the period charged.
   */
  async chargeDownload(args: {
    userId: string;
    bytes: number;
    downloadQuotaBytes: number | null;
    periodStart: Date;
  }): Promise<Date | null> {
    const [row] = await this.rows<{ period_start: Date }>(
      `UPDATE usage
          SET period_download_bytes = ${periodCounter('period_download_bytes', '$4')} + $2,
              period_upload_bytes = ${periodCounter('period_upload_bytes', '$4')},
              period_start = ${nextPeriodStart('$4')},
              updated_at = now()
        WHERE ftp_user_id = $1
          AND ($3::bigint IS NULL
               OR ${periodCounter('period_download_bytes', '$4')} + $2 <= $3::bigint)
        RETURNING period_start`,
      [args.userId, args.bytes, args.downloadQuotaBytes, args.periodStart],
    );
    return row?.period_start ?? null;
  }

  /** Gives back download bytes charged ahead but never sent, if still in that period. */
  async refundDownload(userId: string, bytes: number, chargedPeriod: Date): Promise<void> {
    await this.rows(
      `UPDATE usage
          SET period_download_bytes = greatest(period_download_bytes - $2, 0), updated_at = now()
        WHERE ftp_user_id = $1 AND period_start = $3`,
      [userId, bytes, chargedPeriod],
    );
  }

  /** Drops every reservation of one session (logout, kick, disconnect). */
  async dropSessionReservations(sessionId: string, workerId: string): Promise<void> {
    const ids = await this.rows<{ id: string; ftp_user_id: string }>(
      `SELECT id, ftp_user_id FROM usage_reservations WHERE session_id = $1 AND worker_id = $2`,
      [sessionId, workerId],
    );
    for (const r of ids) {
      await this.closeReservation({
        reservationId: r.id,
        userId: r.ftp_user_id,
        usedBytesDelta: 0,
        usedFilesDelta: 0,
        receivedBytes: 0,
      });
    }
  }

  /**
   * Drops the reservations whose worker incarnation is gone: no workers row,
   * a stale heartbeat, status `stopped`, or a restart since the reservation
   * (another started_at). One statement: the rows are deleted and their sum
   * taken off the usage rows together. What they charged to the upload
   * transfer quota goes back too, when the user's counter is still in the
   * period it was charged to: the upload never committed, and an upload that
   * does not commit counts nothing (as an abort), whoever ended it.
   */
  async dropDeadReservations(
    staleAfterSeconds: number,
    onlyWorkerId?: string,
    onlyUserIds?: string[],
  ): Promise<DroppedReservation[]> {
    const dropped = await this.rows<{
      id: string;
      ftp_user_id: string;
      worker_id: string;
      session_id: string;
      path: string;
      bytes: string;
      files: number;
      upload_bytes: string;
      refunded: boolean;
    }>(
      `WITH dead AS (
         DELETE FROM usage_reservations r
          WHERE ($2::text IS NULL OR r.worker_id = $2)
            AND ($3::uuid[] IS NULL OR r.ftp_user_id = ANY($3::uuid[]))
            AND ($2::text IS NOT NULL OR NOT EXISTS (
                  SELECT 1 FROM workers w
                   WHERE w.id = r.worker_id
                     AND w.status <> 'stopped'
                     AND w.last_heartbeat_at > now() - make_interval(secs => $1)
                     AND (r.worker_started_at IS NULL OR w.started_at = r.worker_started_at)))
         RETURNING r.id, r.ftp_user_id, r.worker_id, r.session_id, r.path, r.bytes, r.files,
                   r.upload_bytes, r.period_start
       ),
       latest AS (
         SELECT ftp_user_id, max(period_start) AS ps FROM dead GROUP BY ftp_user_id
       ),
       sums AS (
         SELECT d.ftp_user_id, sum(d.bytes) AS b, sum(d.files) AS f, l.ps,
                sum(CASE WHEN d.period_start = l.ps THEN d.upload_bytes ELSE 0 END) AS up
           FROM dead d JOIN latest l ON l.ftp_user_id = d.ftp_user_id
          GROUP BY d.ftp_user_id, l.ps
       ),
       upd AS (
         UPDATE usage u
            SET reserved_bytes = greatest(u.reserved_bytes - sums.b, 0),
                reserved_files = greatest(u.reserved_files - sums.f, 0),
                period_upload_bytes = greatest(u.period_upload_bytes
                  - CASE WHEN u.period_start = sums.ps THEN sums.up ELSE 0 END, 0),
                updated_at = now()
           FROM sums WHERE u.ftp_user_id = sums.ftp_user_id
         RETURNING u.ftp_user_id
       )
       SELECT dead.*, (dead.period_start IS NOT DISTINCT FROM u.period_start) AS refunded
         FROM dead LEFT JOIN usage u ON u.ftp_user_id = dead.ftp_user_id`,
      [staleAfterSeconds, onlyWorkerId ?? null, onlyUserIds ?? null],
    );
    return dropped.map((r) => ({
      id: r.id,
      userId: r.ftp_user_id,
      workerId: r.worker_id,
      sessionId: r.session_id,
      path: r.path,
      bytes: num(r.bytes),
      files: Number(r.files),
      uploadBytes: r.refunded ? num(r.upload_bytes) : 0,
    }));
  }

  async recordDeadReservation(dropped: DroppedReservation): Promise<void> {
    await this.rows(
      `INSERT INTO usage_corrections
              (ftp_user_id, username, kind, worker_id, reserved_bytes_released,
               reserved_files_released, details)
       SELECT $1, (SELECT username FROM ftp_users WHERE id = $1), 'dead-worker-reservation',
              $2, $3, $4, $5::jsonb`,
      [
        dropped.userId,
        dropped.workerId,
        dropped.bytes,
        dropped.files,
        JSON.stringify({
          reservationId: dropped.id,
          sessionId: dropped.sessionId,
          path: dropped.path,
          uploadBytesReleased: dropped.uploadBytes,
        }),
      ],
    );
  }

  /** Which of these users hold a reservation (an upload in progress), in one statement. */
  async usersWithReservations(userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.rows<{ ftp_user_id: string }>(
      `SELECT DISTINCT ftp_user_id FROM usage_reservations WHERE ftp_user_id = ANY($1::uuid[])`,
      [userIds],
    );
    return new Set(rows.map((r) => r.ftp_user_id));
  }

  /**
   * Sets used_bytes/used_files to what a scan found, only when nothing moved
   * since the scan started: the counters are still the ones read before it
   * and no upload holds a reservation. Records the correction in the same
   * statement. True = corrected.
   */
  async correctDrift(args: {
    userId: string;
    expected: { usedBytes: number; usedFiles: number };
    scanned: { bytes: number; files: number };
    details: Record<string, unknown>;
  }): Promise<boolean> {
    const rows = await this.rows<{ ftp_user_id: string }>(
      `WITH u AS (
         UPDATE usage
            SET used_bytes = $4, used_files = $5, updated_at = now()
          WHERE ftp_user_id = $1 AND used_bytes = $2 AND used_files = $3
            AND NOT EXISTS (SELECT 1 FROM usage_reservations WHERE ftp_user_id = $1)
          RETURNING ftp_user_id
       )
       INSERT INTO usage_corrections
              (ftp_user_id, username, kind, used_bytes_before, used_bytes_after,
               used_files_before, used_files_after, details)
       SELECT u.ftp_user_id, (SELECT username FROM ftp_users WHERE id = $1), 'drift',
              $2, $4, $3, $5, $6::jsonb
         FROM u
       RETURNING ftp_user_id`,
      [
        args.userId,
        args.expected.usedBytes,
        args.expected.usedFiles,
        args.scanned.bytes,
        args.scanned.files,
        JSON.stringify(args.details),
      ],
    );
    return rows.length === 1;
  }

  /** Users in id order, a page at a time (keyset), so a large table is never loaded whole. */
  async userHomes(afterId: string | null, limit: number, onlyIds?: string[]): Promise<UserHome[]> {
    const rows = await this.rows<{ id: string; username: string; home_dir: string }>(
      `SELECT id, username, home_dir FROM ftp_users
        WHERE ($1::uuid IS NULL OR id > $1::uuid)
          AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))
        ORDER BY id LIMIT $2`,
      [afterId, limit, onlyIds ?? null],
    );
    return rows.map((r) => ({ userId: r.id, username: r.username, homeDir: r.home_dir }));
  }

  /** The user's own limit columns and those of their groups, for resolveEffectiveSettings. */
  async limitSources(
    userId: string,
  ): Promise<{ user: LimitValues; groups: (LimitValues & { name: string })[] } | null> {
    const [user] = await this.rows<LimitRow>(
      `SELECT ${LIMIT_COLUMNS.join(', ')} FROM ftp_users WHERE id = $1`,
      [userId],
    );
    if (!user) return null;
    const groups = await this.rows<LimitRow & { name: string }>(
      `SELECT g.name, ${LIMIT_COLUMNS.map((c) => `g.${c}`).join(', ')}
         FROM groups g JOIN group_memberships m ON m.group_id = g.id
        WHERE m.user_id = $1`,
      [userId],
    );
    return { user: toLimits(user), groups: groups.map((g) => ({ ...toLimits(g), name: g.name })) };
  }

  /** Per-server bandwidth caps (bytes/s), null when unset. */
  async serverBandwidth(
    serverId: string,
  ): Promise<{ upload: number | null; download: number | null }> {
    const [row] = await this.rows<{
      upload_bandwidth: string | null;
      download_bandwidth: string | null;
    }>(`SELECT upload_bandwidth, download_bandwidth FROM servers WHERE id = $1`, [serverId]);
    return {
      upload: row?.upload_bandwidth == null ? null : Number(row.upload_bandwidth),
      download: row?.download_bandwidth == null ? null : Number(row.download_bandwidth),
    };
  }
}

const LIMIT_COLUMNS = [
  'quota_bytes',
  'quota_files',
  'upload_quota_bytes',
  'download_quota_bytes',
  'quota_period',
  'upload_bandwidth',
  'download_bandwidth',
  'max_sessions',
  'allowed_ips',
  'require_tls',
] as const;

interface LimitRow {
  quota_bytes: string | null;
  quota_files: string | null;
  upload_quota_bytes: string | null;
  download_quota_bytes: string | null;
  quota_period: 'day' | 'month' | null;
  upload_bandwidth: string | null;
  download_bandwidth: string | null;
  max_sessions: number | null;
  allowed_ips: string[] | null;
  require_tls: boolean | null;
}

const big = (v: string | null): number | null => (v === null ? null : Number(v));

function toLimits(row: LimitRow): LimitValues {
  return {
    quotaBytes: big(row.quota_bytes),
    quotaFiles: big(row.quota_files),
    uploadQuotaBytes: big(row.upload_quota_bytes),
    downloadQuotaBytes: big(row.download_quota_bytes),
    quotaPeriod: row.quota_period,
    uploadBandwidth: big(row.upload_bandwidth),
    downloadBandwidth: big(row.download_bandwidth),
    maxSessions: row.max_sessions,
    allowedIps: row.allowed_ips,
    requireTls: row.require_tls,
  };
}
