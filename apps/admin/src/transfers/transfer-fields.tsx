import { Chip, Tooltip, Typography } from '@mui/material';
import { TRANSFER_OPERATIONS } from '@wharf/contracts';
import { useRecordContext } from 'react-admin';

export interface TransferRecord {
  id: string;
  occurredAt: string;
  username?: string | null;
  userId?: string | null;
  clientIp?: string;
  operation: string;
  outcome: 'ok' | 'failed' | 'aborted';
  path?: string | null;
  targetPath?: string | null;
  bytes?: number | null;
  durationMs?: number | null;
  sha256?: string | null;
  reason?: string | null;
  serverId?: string | null;
  workerId?: string | null;
  sessionId?: string | null;
}

export const OPERATION_CHOICES = TRANSFER_OPERATIONS.map((id) => ({ id, name: id }));

export const OUTCOME_CHOICES = [
  { id: 'ok', name: 'ok' },
  { id: 'failed', name: 'failed' },
  { id: 'aborted', name: 'aborted' },
];

const OUTCOME_COLOR = { ok: 'success', failed: 'error', aborted: 'warning' } as const;

export function OutcomeField(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext<TransferRecord>();
  if (!record) return null;
  const chip = (
    <Chip
      size="small"
      label={record.outcome}
      color={OUTCOME_COLOR[record.outcome] ?? 'default'}
      variant="outlined"
    />
  );
  return record.reason ? <Tooltip title={record.reason}>{chip}</Tooltip> : chip;
}

export function PathField(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext<TransferRecord>();
  if (!record?.path) return <span>—</span>;
  return (
    <Tooltip title={record.targetPath ? `${record.path} → ${record.targetPath}` : record.path}>
      <Typography variant="body2" noWrap sx={{ fontFamily: 'monospace', maxWidth: 320 }}>
        {record.path}
        {record.targetPath ? ` → ${record.targetPath}` : ''}
      </Typography>
    </Tooltip>
  );
}
