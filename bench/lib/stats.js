'use strict';

function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** { median, min, max, n } of the finite values (nulls are failed or unsupported runs). */
function summary(values) {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return { median: null, min: null, max: null, n: 0 };
  return { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
}

/**
 * Wharf/peer per round (rounds alternate the servers, so round i of both ran
 * under the same machine conditions), then the median of those ratios. For a
 * "lower is better" metric the ratio is inverted, so > 1 always means Wharf wins.
 */
function ratio(wharf, peer, better) {
  const per = [];
  for (let i = 0; i < Math.min(wharf.length, peer.length); i++) {
    const a = wharf[i];
    const b = peer[i];
    if (!Number.isFinite(a) || !Number.isFinite(b) || a === 0 || b === 0) continue;
    per.push(better === 'lower' ? b / a : a / b);
  }
  return { ...summary(per), perRound: per };
}

module.exports = { median, summary, ratio };
