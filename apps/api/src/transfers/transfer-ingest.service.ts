import { isIP } from 'node:net';

import { Injectable, Logger } from '@nestjs/common';
import {
  TRANSFER_OPERATIONS,
  TRANSFER_OUTCOMES,
  type TransferEventRecord,
  type TransferEventsBatch,
} from '@wharf/contracts';
import { allRollupUpserts, ensureTransferLogPartitions, ROLLUP_SLOTS } from '@wharf/database';
import { DataSource } from 'typeorm';

import { TransfersErrorCode, TransfersException } from './transfers.exception';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT32_MAX = 2_147_483_647;

/** transfer_logs columns in row order, each with the array type its parameter is sent as. */
const COLUMNS = [
  ['id', 'uuid'],
  ['occurred_at', 'timestamptz'],
  ['worker_id', 'text'],
  ['server_id', 'uuid'],
  ['session_id', 'text'],
  ['user_id', 'uuid'],
  ['username', 'text'],
  ['client_ip', 'inet'],
  ['client_port', 'int4'],
  ['tls_version', 'text'],
  ['operation', 'text'],
  ['command', 'text'],
  ['path', 'text'],
  ['target_path', 'text'],
  ['bytes', 'int8'],
  ['duration_ms', 'int4'],
  ['outcome', 'text'],
  ['reason', 'text'],
  ['sha256', 'text'],
] as const;

const ROLLUPS = allRollupUpserts('inserted', `$${COLUMNS.length + 1}::smallint`);

/**
 * One statement for any batch size: a parameter per column (an array of the
 * batch's values) rather than a parameter per value. PostgreSQL parses and
 * plans 19 parameters instead of 19 x 500, and the statement text is the same
 * for every batch. The rows it actually inserts (not the duplicates ON
 * CONFLICT skipped) are added to the stats roll-ups in the same
 * statement, hence the same transaction: a batch is counted exactly when it
 * is stored. The last parameter is the roll-up slot.
 */
const INSERT_SQL = `WITH inserted AS (
  INSERT INTO "transfer_logs" (${COLUMNS.map(([c]) => `"${c}"`).join(', ')})
  SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
  ON CONFLICT ("id", "occurred_at") DO NOTHING
  RETURNING "occurred_at", "server_id", "user_id", "username", "client_ip", "operation", "outcome", "bytes")
${ROLLUPS.map((upsert, i) => `, rollup${i} AS (${upsert})`).join('\n')}
SELECT count(*)::int AS "inserted" FROM inserted`;

export interface IngestResult {
  received: number;
  inserted: number;
  /** Already stored (re-delivered by the queue or re-shipped after a crash). */
  duplicates: number;
  /** Dropped because id, time, operation or outcome was unusable. */
  rejected: number;
}

type Row = unknown[];

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const uuidOrNull = (v: unknown): string | null =>
  typeof v === 'string' && UUID.test(v) ? v : null;
const intIn = (v: unknown, max: number): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(Math.max(Math.round(v), 0), max) : null;

/**
 * Validates one event into a row. Only the identity and the meaning of an
 * event (id, time, operation, outcome) can reject it; any other unusable field
 * becomes null, so one odd value cannot poison a whole batch forever.
 */
export function toRow(event: TransferEventRecord): Row | string {
  if (typeof event !== 'object' || event === null) return 'not an object';
  if (typeof event.id !== 'string' || !UUID.test(event.id)) return 'id is not a UUID';
  const at = typeof event.occurredAt === 'string' ? new Date(event.occurredAt) : undefined;
  if (!at || Number.isNaN(at.getTime())) return 'occurredAt is not a time';
  if (!TRANSFER_OPERATIONS.includes(event.operation))
    return `unknown operation ${String(event.operation)}`;
  if (!TRANSFER_OUTCOMES.includes(event.outcome)) return `unknown outcome ${String(event.outcome)}`;
  const ip = typeof event.clientIp === 'string' && isIP(event.clientIp) ? event.clientIp : null;
  return [
    event.id.toLowerCase(),
    at.toISOString(),
    text(event.workerId),
    uuidOrNull(event.serverId),
    text(event.sessionId),
    uuidOrNull(event.userId),
    text(event.username),
    ip,
    intIn(event.clientPort, 65535),
    text(event.tlsVersion),
    event.operation,
    text(event.command),
    text(event.path),
    text(event.targetPath),
    intIn(event.bytes, Number.MAX_SAFE_INTEGER) ?? 0,
    intIn(event.durationMs, INT32_MAX),
    event.outcome,
    text(event.reason),
    text(event.sha256),
  ];
}

/**
 * Stores batches of audit events in transfer_logs with one
 * `INSERT ... SELECT FROM unnest(...) ON CONFLICT (id, occurred_at) DO NOTHING`:
 * at-least-once delivery upstream, exactly once here.
 */
@Injectable()
export class TransferIngestService {
  private readonly logger = new Logger(TransferIngestService.name);
  /** The UTC month (YYYY-MM) whose partitions were last ensured by this process. */
  private partitionsEnsuredFor = '';
  /**
   * Roll-up slot of the next batch: round robin, so the batches this process
   * ingests at the same time update different roll-up rows; a random start,
   * so other api replicas mostly use other slots.
   */
  private nextSlot = Math.floor(Math.random() * ROLLUP_SLOTS);

  constructor(private readonly dataSource: DataSource) {}

  async ingest(batch: TransferEventsBatch): Promise<IngestResult> {
    if (!batch || !Array.isArray(batch.events)) {
      throw new TransfersException(TransfersErrorCode.InvalidBatch, 'payload has no events array');
    }
    const rows: Row[] = [];
    for (const event of batch.events) {
      const row = toRow(event);
      if (typeof row === 'string') {
        this.logger.warn(`dropped audit event ${String(event?.id)}: ${row}`);
      } else {
        rows.push(row);
      }
    }
    const rejected = batch.events.length - rows.length;
    if (rows.length === 0)
      return { received: batch.events.length, inserted: 0, duplicates: 0, rejected };
    await this.ensurePartitions();

    const columns = COLUMNS.map((_column, i) => rows.map((row) => row[i]));
    const slot = this.nextSlot;
    this.nextSlot = (slot + 1) % ROLLUP_SLOTS;
    const [{ inserted }] = (await this.dataSource.query(INSERT_SQL, [...columns, slot])) as [
      { inserted: number },
    ];
    return {
      received: batch.events.length,
      inserted,
      duplicates: rows.length - inserted,
      rejected,
    };
  }

  /**
   * The api creates partitions at boot and a maintenance job keeps them
   * ahead; this covers an api that has been up across a month boundary. Events
   * outside every partition still land in the default partition.
   */
  private async ensurePartitions(): Promise<void> {
    const month = new Date().toISOString().slice(0, 7);
    if (month === this.partitionsEnsuredFor) return;
    const created = await ensureTransferLogPartitions(this.dataSource, 3);
    if (created.length) this.logger.log(`created partitions ${created.join(', ')}`);
    this.partitionsEnsuredFor = month;
  }
}
