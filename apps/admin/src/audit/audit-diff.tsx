import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';

export interface AuditRecord {
  id: string;
  at: string;
  actorUsername?: string | null;
  actorRole?: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  clientIp?: string | null;
  /** `{ before: {...} | null, after: {...} | null }` (null before = created, null after = deleted). */
  changes?: AuditChanges | null;
}

type Snapshot = Record<string, unknown> | null | undefined;
type AuditChanges =
  { before?: Snapshot; after?: Snapshot } | Record<string, { before?: unknown; after?: unknown }>;

function isSnapshotPair(changes: object): changes is { before?: Snapshot; after?: Snapshot } {
  const keys = Object.keys(changes);
  return (
    keys.length > 0 &&
    keys.every((k) => k === 'before' || k === 'after') &&
    Object.values(changes).every((v) => v === null || (typeof v === 'object' && !Array.isArray(v)))
  );
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * One row per field that differs. The api sends two snapshots; a per-field
 * map (`{ field: { before, after } }`) is read too.
 */
export function changedFields(
  changes: AuditChanges | null | undefined,
): [string, { before?: unknown; after?: unknown }][] {
  if (!changes) return [];
  if (!isSnapshotPair(changes)) {
    return Object.entries(changes as Record<string, { before?: unknown; after?: unknown }>);
  }
  const before = changes.before ?? undefined;
  const after = changes.after ?? undefined;
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return fields
    .filter((f) => !same(before?.[f], after?.[f]))
    .map((f) => [f, { before: before?.[f], after: after?.[f] }]);
}

function show(value: unknown) {
  if (value === undefined) {
    return (
      <Typography component="span" variant="body2" color="text.secondary">
        (absent)
      </Typography>
    );
  }
  if (value === null) {
    return (
      <Typography component="span" variant="body2" color="text.secondary">
        null
      </Typography>
    );
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return (
    <Box component="code" sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 12 }}>
      {text}
    </Box>
  );
}

/** "new record", "deleted", or the changed field names, for the list column. */
export function summarizeChanges(changes: AuditChanges | null | undefined): string {
  if (changes && isSnapshotPair(changes)) {
    if (changes.before == null && changes.after != null) return 'new record';
    if (changes.after == null && changes.before != null) return 'deleted';
  }
  const fields = changedFields(changes).map(([f]) => f);
  return fields.length ? fields.join(', ') : '—';
}

/** Field-by-field before/after of one admin change (secrets arrive redacted from the api). */
export function AuditDiff() {
  const record = useRecordContext<AuditRecord>();
  const entries = changedFields(record?.changes);
  if (!record) return null;
  if (!entries.length) {
    return (
      <Typography variant="body2" color="text.secondary" sx={{ p: 1 }}>
        No field-level changes recorded for this action.
      </Typography>
    );
  }
  return (
    <Table size="small" data-testid="audit-diff" sx={{ maxWidth: 1000 }}>
      <TableHead>
        <TableRow>
          <TableCell sx={{ width: 200 }}>Field</TableCell>
          <TableCell>Before</TableCell>
          <TableCell>After</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {entries.map(([field, change]) => (
          <TableRow key={field}>
            <TableCell sx={{ fontWeight: 600 }}>{field}</TableCell>
            <TableCell sx={{ bgcolor: 'rgba(211, 47, 47, 0.08)' }}>
              {show(change?.before)}
            </TableCell>
            <TableCell sx={{ bgcolor: 'rgba(46, 125, 50, 0.10)' }}>{show(change?.after)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
