'use strict';
// `node bench/lib/profile-top.js FILE.cpuprofile [N]`: the N functions with the
// most self time in a V8 CPU profile (what --cpu-prof writes), by file.
const { readFileSync } = require('node:fs');

function top(file, n = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|\.bench\/src|dist\/node)\//, '$1/')}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
}

if (require.main === module) console.log(top(process.argv[2], Number(process.argv[3] ?? 25)).join('\n'));
module.exports = { top };
