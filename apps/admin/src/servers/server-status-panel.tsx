import { Alert, Chip, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useDataProvider, useRecordContext } from 'react-admin';

import type { ServerStatus, WharfDataProvider } from '../providers/data-provider';

const COLOR = { online: 'success', stale: 'error', unknown: 'default' } as const;

/** `GET /servers/:id/status`: the workers that should run this server and whether they listen. */
export function ServerStatusPanel() {
  const record = useRecordContext();
  const dataProvider = useDataProvider<WharfDataProvider>();
  const { data, error } = useQuery<ServerStatus>({
    queryKey: ['servers', 'status', record?.id],
    queryFn: () => dataProvider.getServerStatus(record!.id),
    enabled: record?.id != null,
    refetchInterval: 5000,
    retry: false,
  });
  if (!record) return null;
  if (error) return <Alert severity="warning">Status not available: {error.message}</Alert>;
  if (!data) return null;
  return (
    <Stack spacing={1} data-testid="server-status" sx={{ mb: 2 }}>
      <Typography variant="body2" color="text.secondary">
        {data.runsOnAllWorkers
          ? 'Runs on every worker (none assigned explicitly).'
          : 'Runs on the assigned workers.'}
        {data.enabled ? '' : ' Disabled: no worker listens.'}
      </Typography>
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }}>
        {data.workers.length === 0 ? (
          <Typography variant="body2">No worker has registered yet.</Typography>
        ) : (
          data.workers.map((w) => (
            <Chip
              key={w.id}
              size="small"
              color={COLOR[w.status]}
              variant={w.listening ? 'filled' : 'outlined'}
              label={`${w.hostname ?? w.id}: ${w.status}${
                w.listening == null ? '' : w.listening ? ', listening' : ', not listening'
              }`}
            />
          ))
        )}
      </Stack>
    </Stack>
  );
}
