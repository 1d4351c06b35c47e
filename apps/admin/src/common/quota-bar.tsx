import { Box, LinearProgress, Tooltip, Typography } from '@mui/material';

import { formatBytes, formatNumber } from './format';

/** Used against a limit; no limit shows the usage alone. Turns orange at 80 %, red at 95 %. */
export function QuotaBar({
  used,
  limit,
  kind = 'bytes',
  width = 140,
}: {
  used: number | null | undefined;
  limit: number | null | undefined;
  kind?: 'bytes' | 'count';
  width?: number;
}) {
  const fmt = kind === 'bytes' ? formatBytes : formatNumber;
  if (used == null && limit == null) {
    return (
      <Typography variant="body2" color="text.secondary">
        —
      </Typography>
    );
  }
  if (!limit) {
    return (
      <Typography variant="body2" sx={{ whiteSpace: 'nowrap' }}>
        {fmt(used ?? 0)}{' '}
        <Typography component="span" variant="caption" color="text.secondary">
          no limit
        </Typography>
      </Typography>
    );
  }
  const ratio = Math.min(1, Math.max(0, (used ?? 0) / limit));
  const color = ratio >= 0.95 ? 'error' : ratio >= 0.8 ? 'warning' : 'primary';
  return (
    <Tooltip title={`${fmt(used ?? 0)} of ${fmt(limit)} (${(ratio * 100).toFixed(1)} %)`}>
      <Box
        sx={{ width }}
        role="meter"
        aria-valuenow={Math.round(ratio * 100)}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <LinearProgress
          variant="determinate"
          value={ratio * 100}
          color={color}
          sx={{ height: 8, borderRadius: 4 }}
        />
        <Typography variant="caption" color="text.secondary" sx={{ whiteSpace: 'nowrap' }}>
          {fmt(used ?? 0)} / {fmt(limit)}
        </Typography>
      </Box>
    </Tooltip>
  );
}
