import CloudDownloadIcon from '@mui/icons-material/CloudDownload';
import GppBadIcon from '@mui/icons-material/GppBad';
import PeopleIcon from '@mui/icons-material/People';
import SensorsIcon from '@mui/icons-material/Sensors';
import SwapVertIcon from '@mui/icons-material/SwapVert';
import {
  Alert,
  Box,
  Card,
  CardContent,
  CardHeader,
  Skeleton,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
  useTheme,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Title, useDataProvider, useStore } from 'react-admin';
import { Link } from 'react-router-dom';

import { formatBytes, formatNumber } from '../common/format';
import type { StatsBucket, TransferStats, WharfDataProvider } from '../providers/data-provider';
import { BucketChart, RankingChart } from './charts';

const RANGES = {
  '24h': { label: 'Last 24 hours', ms: 24 * 3600_000, bucket: 'hour' },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000, bucket: 'day' },
  '30d': { label: 'Last 30 days', ms: 30 * 86_400_000, bucket: 'day' },
} as const satisfies Record<string, { label: string; ms: number; bucket: StatsBucket }>;
type RangeKey = keyof typeof RANGES;

function bucketLabel(at: string, bucket: StatsBucket): string {
  const d = new Date(at);
  return bucket === 'hour'
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

function StatCard({
  title,
  value,
  icon,
  to,
  loading,
  testId,
}: {
  title: string;
  value: string;
  icon: ReactNode;
  to?: string;
  loading: boolean;
  testId: string;
}) {
  const body = (
    <CardContent sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
      <Box sx={{ color: 'primary.main', '& svg': { fontSize: 40 } }}>{icon}</Box>
      <Box>
        <Typography variant="body2" color="text.secondary">
          {title}
        </Typography>
        <Typography variant="h5" data-testid={testId}>
          {loading ? <Skeleton width={60} /> : value}
        </Typography>
      </Box>
    </CardContent>
  );
  return (
    <Card sx={{ flex: '1 1 180px' }}>
      {to ? (
        <Box component={Link} to={to} sx={{ color: 'inherit', textDecoration: 'none' }}>
          {body}
        </Box>
      ) : (
        body
      )}
    </Card>
  );
}

function ChartCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card sx={{ flex: '1 1 520px', minWidth: 0 }}>
      <CardHeader title={title} slotProps={{ title: { variant: 'subtitle1' } }} sx={{ pb: 0 }} />
      <CardContent>{children}</CardContent>
    </Card>
  );
}

export default function DashboardPage() {
  const theme = useTheme();
  const dataProvider = useDataProvider<WharfDataProvider>();
  const [range, setRange] = useStore<RangeKey>('wharf.dashboard.range', '24h');
  const spec = RANGES[range] ?? RANGES['24h'];
  const { data, error, isPending } = useQuery<TransferStats>({
    queryKey: ['transfers', 'stats', range],
    queryFn: () => {
      const to = new Date();
      const from = new Date(to.getTime() - spec.ms);
      return dataProvider.getTransferStats({
        from: from.toISOString(),
        to: to.toISOString(),
        bucket: spec.bucket,
      });
    },
    refetchInterval: 30_000,
    retry: false,
  });
  const totals = data?.totals ?? {};
  const buckets = data?.buckets ?? [];
  const labels = buckets.map((b) => bucketLabel(b.at, spec.bucket));
  const titles = buckets.map((b) => new Date(b.at).toLocaleString());
  const colorIn = theme.palette.primary.main;
  const colorOut = theme.palette.secondary.main;

  return (
    <Box sx={{ mt: 1, display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Title title="Dashboard" />
      <Box sx={{ display: 'flex', alignItems: 'center' }}>
        <Typography variant="h5" sx={{ flex: 1 }}>
          Overview
        </Typography>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={range}
          onChange={(_, v: RangeKey | null) => v && setRange(v)}
          aria-label="time range"
        >
          {(Object.keys(RANGES) as RangeKey[]).map((k) => (
            <ToggleButton key={k} value={k}>
              {RANGES[k].label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Box>
      {error ? (
        <Alert severity="warning">Statistics are not available right now: {error.message}</Alert>
      ) : null}
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2 }}>
        <StatCard
          title="Active sessions"
          value={formatNumber(totals.activeSessions)}
          icon={<SensorsIcon />}
          to="/sessions"
          loading={isPending}
          testId="stat-active-sessions"
        />
        <StatCard
          title="FTP users"
          value={formatNumber(totals.ftpUsers)}
          icon={<PeopleIcon />}
          to="/ftp-users"
          loading={isPending}
          testId="stat-ftp-users"
        />
        <StatCard
          title={`Transfers, ${spec.label.toLowerCase()}`}
          value={formatNumber(totals.transfers)}
          icon={<SwapVertIcon />}
          to="/transfers"
          loading={isPending}
          testId="stat-transfers"
        />
        <StatCard
          title={`In / out, ${spec.label.toLowerCase()}`}
          value={
            totals.bytesIn == null && totals.bytesOut == null
              ? '—'
              : `${formatBytes(totals.bytesIn ?? 0)} / ${formatBytes(totals.bytesOut ?? 0)}`
          }
          icon={<CloudDownloadIcon />}
          loading={isPending}
          testId="stat-bytes"
        />
        <StatCard
          title={`Failed logins, ${spec.label.toLowerCase()}`}
          value={formatNumber(totals.failedLogins)}
          icon={<GppBadIcon />}
          to="/transfers?filter=%7B%22operation%22%3A%22login-failed%22%7D"
          loading={isPending}
          testId="stat-failed-logins"
        />
      </Box>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2 }}>
        <ChartCard title="Bytes in and out">
          {isPending ? (
            <Skeleton variant="rectangular" height={200} />
          ) : (
            <BucketChart
              ariaLabel="Bytes uploaded and downloaded per time bucket"
              labels={labels}
              titles={titles}
              format={(n) => formatBytes(n, 0)}
              series={[
                { name: 'In (uploads)', color: colorIn, values: buckets.map((b) => b.bytesIn) },
                {
                  name: 'Out (downloads)',
                  color: colorOut,
                  values: buckets.map((b) => b.bytesOut),
                },
              ]}
            />
          )}
        </ChartCard>
        <ChartCard title={`Transfers per ${spec.bucket}`}>
          {isPending ? (
            <Skeleton variant="rectangular" height={200} />
          ) : (
            <BucketChart
              ariaLabel="Transfers per time bucket"
              labels={labels}
              titles={titles}
              format={(n) => formatNumber(Math.round(n))}
              series={[
                { name: 'Transfers', color: colorIn, values: buckets.map((b) => b.transfers) },
              ]}
            />
          )}
        </ChartCard>
      </Box>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2 }}>
        <ChartCard title="Top users by volume">
          <RankingChart
            rows={(data?.topUsers ?? []).map((u) => ({ label: u.username, value: u.bytes }))}
            format={(n) => formatBytes(n)}
            color={colorIn}
            emptyText="No transfers in this range"
          />
        </ChartCard>
        <ChartCard title="Failed logins by IP">
          <RankingChart
            rows={(data?.failedLoginsByIp ?? []).map((r) => ({
              label: r.clientIp,
              value: r.count,
            }))}
            format={formatNumber}
            color={theme.palette.error.main}
            emptyText="No failed logins in this range"
          />
        </ChartCard>
      </Box>
    </Box>
  );
}
