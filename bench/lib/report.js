'use strict';
// Results -> Markdown tables (median, min-max, Wharf/peer ratio per round) and
// one PNG bar chart per scenario.
const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const { Canvas } = require('./png');
const { ratio, summary } = require('./stats');

const PEERS = ['vsftpd', 'proftpd', 'pure-ftpd'];
const COLORS = {
  wharf: [31, 119, 180],
  'wharf-fresh': [148, 103, 189],
  'wharf-engine': [120, 180, 230],
  vsftpd: [255, 127, 14],
  proftpd: [44, 160, 44],
  'pure-ftpd': [214, 39, 40],
  machine: [110, 110, 110],
};

function fmt(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The rows of one metric: each series with its summary, and Wharf's ratio to each peer. */
function metricRows(metric) {
  const series = metric.series ?? {};
  const wharf = series.wharf ?? [];
  return Object.entries(series).map(([name, values]) => ({
    name,
    ...summary(values),
    ratio: PEERS.includes(name) && wharf.length ? ratio(wharf, values, metric.better) : null,
  }));
}

function metricTable(metric) {
  const lines = [
    `**${metric.title}** — ${metric.unit}, ${metric.better} is better`,
    '',
    '| Server | Median | Min–max | Wharf vs this server (median, range of per-round ratios) |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const row of metricRows(metric)) {
    const r = row.ratio && row.ratio.n ? `${fmt(row.ratio.median)}× (${fmt(row.ratio.min)}–${fmt(row.ratio.max)})` : '';
    const range = row.n ? `${fmt(row.min)}–${fmt(row.max)}` : '—';
    lines.push(`| ${row.name} | ${fmt(row.median)} | ${range} | ${r} |`);
  }
  lines.push('');
  return lines.join('\n');
}

function chart(scenario, file) {
  const metrics = scenario.metrics.filter((m) => m.chart !== false && m.series && Object.keys(m.series).length);
  const width = 960;
  const rowH = 22;
  const labelW = 180;
  const valueW = 150;
  const barMax = width - labelW - valueW - 30;
  let height = 56;
  for (const m of metrics) height += 34 + Object.keys(m.series).length * rowH + 12;
  const c = new Canvas(width, height);
  c.text(12, 12, scenario.title, [0, 0, 0], 3);
  let y = 50;
  for (const m of metrics) {
    c.text(12, y, `${m.title} [${m.unit}, ${m.better} is better]`, [40, 40, 40], 2);
    y += 26;
    const rows = metricRows(m);
    const top = Math.max(...rows.map((r) => r.max ?? 0), 1e-9);
    for (const row of rows) {
      const color = COLORS[row.name] ?? [90, 90, 90];
      c.text(12, y + 4, row.name, [0, 0, 0], 2);
      if (row.median !== null) {
        const w = (row.median / top) * barMax;
        c.rect(labelW, y + 2, Math.max(w, 1), rowH - 6, color);
        // min-max whisker
        const x0 = labelW + (row.min / top) * barMax;
        const x1 = labelW + (row.max / top) * barMax;
        c.rect(x0, y + rowH / 2 - 2, Math.max(x1 - x0, 1), 2, [0, 0, 0]);
        c.rect(x0, y + 4, 2, rowH - 10, [0, 0, 0]);
        c.rect(x1 - 1, y + 4, 2, rowH - 10, [0, 0, 0]);
        c.text(labelW + barMax + 10, y + 4, fmt(row.median), [0, 0, 0], 2);
      } else {
        c.text(labelW + 4, y + 4, 'n/a', [120, 120, 120], 2);
      }
      y += rowH;
    }
    y += 12;
  }
  writeFileSync(file, c.png());
}

function writeReport(results, { chartsDir, markdownDir }) {
  mkdirSync(chartsDir, { recursive: true });
  const charts = [];
  const out = [];
  const m = results.machine;
  out.push(
    `Run ${results.startedAt} → ${results.finishedAt}: ${m.nproc} × ${m.cpu}, ${(m.memoryBytes / 1024 ** 3).toFixed(1)} GiB RAM, ${m.kernel}, ${m.os}, Node ${m.node}.`,
    `Load average (1/5/15 min) during the run: ${results.load.map((l) => `${l.after ? `after ${l.after}` : l.at.slice(11, 19)} ${l.loadavg.join(' / ')}`).join('; ')}.`,
    `Wharf code: ${results.wharfCommit ?? 'n/a'}. Rounds alternate the servers within each round.`,
    '',
  );
  if (results.servers) {
    out.push('| Server | Password hash |', '| --- | --- |');
    for (const [name, s] of Object.entries(results.servers)) out.push(`| ${name} | ${s.passwordHash} |`);
    out.push('');
  }
  for (const [id, scenario] of Object.entries(results.scenarios)) {
    out.push(`### ${scenario.title}`, '', `${scenario.rounds} rounds, ${Math.round(scenario.seconds)} s.`, '');
    for (const metric of scenario.metrics) out.push(metricTable(metric));
    if (scenario.notes?.length) out.push(...scenario.notes.map((n) => `- ${n}`), '');
    if (scenario.errors?.length) out.push('Failed runs:', '', ...scenario.errors.map((e) => `- ${e}`), '');
    if (scenario.commands?.length) out.push('Commands:', '', ...scenario.commands.map((c) => `- \`${c}\``), '');
    const file = path.join(chartsDir, `ftp-${id}.png`);
    chart(scenario, file);
    charts.push(file);
    out.push(`![${scenario.title}](${path.relative(markdownDir, file)})`, '');
  }
  if (results.controlPlane) {
    out.push('### Control plane', '', '```json', JSON.stringify(results.controlPlane, null, 2).slice(0, 4000), '```', '');
  }
  return { markdown: out.join('\n'), charts };
}

module.exports = { writeReport, metricRows, fmt };
