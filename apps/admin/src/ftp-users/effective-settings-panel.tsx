import {
  Alert,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { PermissionRule } from '@wharf/contracts';
import { Loading, useDataProvider, useRecordContext } from 'react-admin';

import { formatBytes, formatExact, formatNumber, formatRate } from '../common/format';
import type { EffectiveSettings, WharfDataProvider } from '../providers/data-provider';

const BYTES = new Set(['quotaBytes', 'uploadQuotaBytes', 'downloadQuotaBytes']);
const RATES = new Set(['uploadBandwidth', 'downloadBandwidth']);

const LABELS: Record<string, string> = {
  quotaBytes: 'Storage quota',
  quotaFiles: 'Max files',
  uploadQuotaBytes: 'Upload quota',
  downloadQuotaBytes: 'Download quota',
  quotaPeriod: 'Quota period',
  uploadBandwidth: 'Upload bandwidth',
  downloadBandwidth: 'Download bandwidth',
  maxSessions: 'Max sessions',
  allowedIps: 'IP allow list',
  requireTls: 'Require TLS',
  permissions: 'Permission rules',
  homeDir: 'Home directory',
  expiresAt: 'Expires at',
  enabled: 'Enabled',
};

function display(key: string, value: unknown): string {
  if (value === null || value === undefined) return 'not set (unlimited)';
  if (BYTES.has(key)) return formatBytes(value as number);
  if (RATES.has(key)) return formatRate(value as number);
  if (key === 'expiresAt') return formatExact(value);
  if (key === 'permissions' && Array.isArray(value)) {
    return (value as PermissionRule[])
      .map((r) => `${r.path}: ${r.allow.join(', ') || 'nothing'}`)
      .join(' | ');
  }
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'any';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return formatNumber(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function sourceColor(source: string): 'primary' | 'secondary' | 'default' {
  if (source === 'user') return 'primary';
  if (source === 'group' || source.startsWith('group')) return 'secondary';
  return 'default';
}

/** `GET /ftp-users/:id/effective`: the merged settings and where each one came from. */
export function EffectiveSettingsPanel() {
  const record = useRecordContext();
  const dataProvider = useDataProvider<WharfDataProvider>();
  const { data, error, isPending } = useQuery<EffectiveSettings>({
    queryKey: ['ftp-users', 'effective', record?.id],
    queryFn: () => dataProvider.getEffectiveSettings(record!.id),
    enabled: record?.id != null,
    retry: false,
  });
  if (!record) return null;
  if (isPending) return <Loading loadingPrimary="Merging settings" loadingSecondary="" />;
  if (error) {
    return <Alert severity="warning">Effective settings are not available: {error.message}</Alert>;
  }
  const entries = Object.entries(data ?? {});
  if (!entries.length) return <Typography color="text.secondary">No settings reported.</Typography>;
  return (
    <Table size="small" data-testid="effective-settings" sx={{ maxWidth: 900 }}>
      <TableHead>
        <TableRow>
          <TableCell>Setting</TableCell>
          <TableCell>Effective value</TableCell>
          <TableCell>Comes from</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {entries.map(([key, setting]) => {
          const source = String(setting?.source ?? 'default');
          const from = setting?.groupName ? `group ${setting.groupName}` : source;
          return (
            <TableRow key={key}>
              <TableCell>{LABELS[key] ?? key}</TableCell>
              <TableCell sx={{ fontFamily: key === 'permissions' ? 'monospace' : undefined }}>
                {display(key, setting?.value)}
              </TableCell>
              <TableCell>
                <Chip size="small" label={from} color={sourceColor(source)} variant="outlined" />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
