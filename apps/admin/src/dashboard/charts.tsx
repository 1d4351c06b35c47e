import { Box, Stack, Typography, useTheme } from '@mui/material';

/**
 * Small hand-written SVG charts: the dashboard needs four simple ones, and a
 * charting library would weigh more than the rest of the page.
 */

const W = 640;
const H = 220;
const PAD = { top: 12, right: 12, bottom: 28, left: 64 };

export interface Series {
  name: string;
  color: string;
  values: number[];
}

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * exp >= max) return step * exp;
  return 10 * exp;
}

function Legend({ series }: { series: Series[] }) {
  return (
    <Stack direction="row" spacing={2} sx={{ mt: 0.5, justifyContent: 'center' }}>
      {series.map((s) => (
        <Stack key={s.name} direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
          <Box sx={{ width: 12, height: 12, borderRadius: '2px', bgcolor: s.color }} />
          <Typography variant="caption">{s.name}</Typography>
        </Stack>
      ))}
    </Stack>
  );
}

function Axes({
  labels,
  max,
  format,
  stepX,
}: {
  labels: string[];
  max: number;
  format: (n: number) => string;
  stepX: number;
}) {
  const theme = useTheme();
  const grid = theme.palette.divider;
  const text = theme.palette.text.secondary;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const innerH = H - PAD.top - PAD.bottom;
  // At most ~8 x labels, whatever the bucket count.
  const every = Math.max(1, Math.ceil(labels.length / 8));
  return (
    <g fontSize={11} fill={text}>
      {ticks.map((t) => {
        const y = PAD.top + innerH * (1 - t);
        return (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y} y2={y} stroke={grid} />
            <text x={PAD.left - 6} y={y + 4} textAnchor="end">
              {format(max * t)}
            </text>
          </g>
        );
      })}
      {labels.map((label, i) =>
        i % every === 0 ? (
          <text key={i} x={PAD.left + stepX * (i + 0.5)} y={H - 8} textAnchor="middle">
            {label}
          </text>
        ) : null,
      )}
    </g>
  );
}

/** Grouped bars per time bucket (bytes in/out, transfers). */
export function BucketChart({
  labels,
  series,
  format,
  titles,
  ariaLabel,
}: {
  labels: string[];
  series: Series[];
  format: (n: number) => string;
  titles: string[];
  ariaLabel: string;
}) {
  const dataMax = Math.max(0, ...series.flatMap((s) => s.values));
  if (dataMax === 0) {
    return (
      <Typography
        variant="body2"
        color="text.secondary"
        sx={{ height: 160, display: 'flex', alignItems: 'center', justifyContent: 'center' }}
      >
        Nothing in this time range
      </Typography>
    );
  }
  const max = niceMax(dataMax);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const stepX = labels.length ? innerW / labels.length : innerW;
  const barW = Math.max(1, (stepX * 0.8) / Math.max(1, series.length));
  return (
    <Box>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={ariaLabel}>
        <Axes labels={labels} max={max} format={format} stepX={stepX} />
        {labels.map((_, i) =>
          series.map((s, j) => {
            const v = s.values[i] ?? 0;
            const h = (v / max) * innerH;
            return (
              <rect
                key={`${i}-${j}`}
                x={PAD.left + stepX * i + stepX * 0.1 + barW * j}
                y={PAD.top + innerH - h}
                width={barW}
                height={Math.max(0, h)}
                fill={s.color}
                rx={1}
              >
                <title>{`${titles[i] ?? ''} · ${s.name}: ${format(v)}`}</title>
              </rect>
            );
          }),
        )}
      </svg>
      {series.length > 1 ? <Legend series={series} /> : null}
    </Box>
  );
}

/** Ranked horizontal bars (top users, failed logins by IP). */
export function RankingChart({
  rows,
  format,
  color,
  emptyText,
}: {
  rows: { label: string; value: number }[];
  format: (n: number) => string;
  color: string;
  emptyText: string;
}) {
  if (!rows.length) {
    return (
      <Typography variant="body2" color="text.secondary" sx={{ py: 4, textAlign: 'center' }}>
        {emptyText}
      </Typography>
    );
  }
  const max = Math.max(...rows.map((r) => r.value), 1);
  return (
    <Stack spacing={0.75}>
      {rows.map((r) => (
        <Box
          key={r.label}
          sx={{
            display: 'grid',
            gridTemplateColumns: '140px 1fr 90px',
            gap: 1,
            alignItems: 'center',
          }}
        >
          <Typography variant="body2" noWrap title={r.label} sx={{ fontFamily: 'monospace' }}>
            {r.label}
          </Typography>
          <Box sx={{ height: 14, bgcolor: 'action.hover', borderRadius: 1, overflow: 'hidden' }}>
            <Box
              sx={{
                height: '100%',
                width: `${(r.value / max) * 100}%`,
                bgcolor: color,
                borderRadius: 1,
              }}
            />
          </Box>
          <Typography variant="body2" sx={{ textAlign: 'right' }}>
            {format(r.value)}
          </Typography>
        </Box>
      ))}
    </Stack>
  );
}
