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
  currentCommand?: string | null;
  tls?: string | null;
  bytesTransferred?: number;
  transfer?: {
    operation?: string;
    direction?: 'upload' | 'download' | string;
    path?: string;
    bytes?: number;
    startedAt?: string;
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
  // The size of an upload is unknown until it ends; show bytes so far and the rate.
  const seconds = t.startedAt ? (Date.now() - new Date(t.startedAt).getTime()) / 1000 : 0;
  const rate = seconds > 1 ? (t.bytes ?? 0) / seconds : null;
  return (
    <Box sx={{ minWidth: 180, maxWidth: 280 }} data-testid="transfer-progress">
      <Typography variant="caption" noWrap component="div" title={t.path}>
        {t.direction ?? 'transfer'} {t.path}
      </Typography>
      <LinearProgress variant="indeterminate" sx={{ height: 6, borderRadius: 3 }} />
      <Typography variant="caption" color="text.secondary">
        {formatBytes(t.bytes ?? 0)}
        {rate ? ` · ${formatRate(rate)}` : ''}
      </Typography>
    </Box>
  );
}
