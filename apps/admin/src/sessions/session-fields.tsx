import { Box, LinearProgress, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';

import { formatBytes, formatRate } from '../common/format';

export interface SessionRecord {
  id: string;
  workerId?: string;
  serverId?: string;
  username?: string | null;
  clientIp?: string;
  loginAt?: string;
  command?: string | null;
  bytesTransferred?: number;
  transfer?: {
    operation?: string;
    direction?: 'upload' | 'download' | string;
    path?: string;
    bytes?: number;
    totalBytes?: number | null;
    bytesPerSecond?: number | null;
  } | null;
}

/** The running transfer: a bar when the size is known (downloads), bytes so far otherwise. */
export function TransferProgressField(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext<SessionRecord>();
  const t = record?.transfer;
  if (!t) {
    return (
      <Typography variant="body2" color="text.secondary">
        idle
      </Typography>
    );
  }
  const ratio = t.totalBytes ? Math.min(1, (t.bytes ?? 0) / t.totalBytes) : null;
  return (
    <Box sx={{ minWidth: 180, maxWidth: 280 }}>
      <Typography variant="caption" noWrap component="div" title={t.path}>
        {t.direction ?? t.operation ?? 'transfer'} {t.path}
      </Typography>
      <LinearProgress
        variant={ratio == null ? 'indeterminate' : 'determinate'}
        value={ratio == null ? undefined : ratio * 100}
        sx={{ height: 6, borderRadius: 3 }}
      />
      <Typography variant="caption" color="text.secondary">
        {formatBytes(t.bytes ?? 0)}
        {t.totalBytes ? ` of ${formatBytes(t.totalBytes)}` : ''}
        {t.bytesPerSecond ? ` · ${formatRate(t.bytesPerSecond)}` : ''}
      </Typography>
    </Box>
  );
}
