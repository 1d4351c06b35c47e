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
  changes?: Record<string, { before?: unknown; after?: unknown }> | null;
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
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 1);
  return (
    <Box component="code" sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 12 }}>
      {text}
    </Box>
  );
}

/** Field-by-field before/after of one admin change (secrets arrive redacted from the api). */
export function AuditDiff() {
  const record = useRecordContext<AuditRecord>();
  const entries = Object.entries(record?.changes ?? {});
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
