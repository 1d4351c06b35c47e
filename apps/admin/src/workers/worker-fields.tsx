import { Chip } from '@mui/material';
import { useRecordContext } from 'react-admin';

export interface WorkerRecord {
  id: string;
  hostname: string;
  version?: string;
  startedAt?: string;
  lastHeartbeatAt?: string;
  status?: 'online' | 'stale' | string;
  sessionCount?: number;
}

export function WorkerStatusField(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext<WorkerRecord>();
  if (!record) return null;
  const stale = record.status !== 'online';
  return (
    <Chip
      size="small"
      label={record.status ?? 'unknown'}
      color={stale ? 'error' : 'success'}
      variant={stale ? 'filled' : 'outlined'}
      data-testid={`worker-status-${record.status ?? 'unknown'}`}
    />
  );
}

/** Stale workers stand out in the list (missed three heartbeats). */
export const workerRowSx = (record: WorkerRecord) =>
  record.status !== 'online' ? { bgcolor: 'rgba(211, 47, 47, 0.12)' } : {};
