import {
  Alert,
  Box,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { ALL_FTP_PERMISSIONS } from '@wharf/contracts';
import { Loading, useDataProvider, useRecordContext } from 'react-admin';

import { formatBytes, formatNumber, formatRate } from '../common/format';
import { RelativeTime } from '../common/relative-time';
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
};

function display(key: string, value: unknown): string {
  if (value === null || value === undefined) {
    return key === 'allowedIps' ? 'any address' : 'unlimited';
  }
  if (BYTES.has(key)) return formatBytes(value as number);
  if (RATES.has(key)) return formatRate(value as number);
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'any address';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return formatNumber(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "user", "group:customers", "default" -> a chip. */
function SourceChip({ source }: { source: string }) {
  const [kind, name] = source.split(':', 2);
  const label = kind === 'group' && name ? `group ${name}` : source;
  const color = kind === 'user' ? 'primary' : kind === 'group' ? 'secondary' : 'default';
  return <Chip size="small" label={label} color={color} variant="outlined" />;
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
  const limits = Object.entries(data.limits ?? {});
  return (
    <Box sx={{ width: '100%', maxWidth: 960 }} data-testid="effective-settings">
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        A user&apos;s own value wins; otherwise the most permissive value of their groups; otherwise
        the default.
        {data.groups?.length
          ? ` Groups: ${data.groups.map((g) => g.name).join(', ')}.`
          : ' Not in any group.'}
        {data.expiresAt ? (
          <>
            {' '}
            Expires <RelativeTime value={data.expiresAt} />.
          </>
        ) : null}
      </Typography>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>Setting</TableCell>
            <TableCell>Effective value</TableCell>
            <TableCell>Comes from</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          <TableRow>
            <TableCell>Home directory</TableCell>
            <TableCell sx={{ fontFamily: 'monospace' }}>{data.homeDir}</TableCell>
            <TableCell>
              <SourceChip source="user" />
            </TableCell>
          </TableRow>
          {limits.map(([key, setting]) => (
            <TableRow key={key}>
              <TableCell>{LABELS[key] ?? key}</TableCell>
              <TableCell>{display(key, setting?.value)}</TableCell>
              <TableCell>
                <SourceChip source={String(setting?.source ?? 'default')} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Typography variant="subtitle2" sx={{ mt: 3, mb: 1 }}>
        Permission rules (the longest matching path prefix wins; no match is denied)
      </Typography>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>Path</TableCell>
            <TableCell>Allowed</TableCell>
            <TableCell>Comes from</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {(data.permissions ?? []).map((rule) => (
            <TableRow key={`${rule.path}-${rule.source}`}>
              <TableCell sx={{ fontFamily: 'monospace' }}>{rule.path}</TableCell>
              <TableCell>
                {rule.allow.length === ALL_FTP_PERMISSIONS.length
                  ? 'everything'
                  : rule.allow.join(', ') || 'nothing'}
              </TableCell>
              <TableCell>
                <SourceChip source={rule.source} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
