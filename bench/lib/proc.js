'use strict';
// Memory and CPU time of a server's process tree from /proc: RSS, and PSS
// (shared pages split between the processes sharing them) where smaps_rollup
// exists.
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');

function children(pid) {
  try {
    const out = [];
    for (const tid of require('node:fs').readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (list) out.push(...list.split(/\s+/).map(Number));
    }
    return out;
  } catch {
    return [];
  }
}

/** pid and all its descendants. */
function tree(pid) {
  const all = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    all.push(p);
    stack.push(...children(p));
  }
  return all;
}

function field(text, name) {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) * 1024 : 0;
}

/** { processes, rss, pss } in bytes over the tree rooted at pid. pss only when asked (slower). */
function treeMemory(pid, { pss = false } = {}) {
  let rss = 0;
  let pssTotal = 0;
  const pids = tree(pid);
  for (const p of pids) {
    try {
      rss += field(readFileSync(`/proc/${p}/status`, 'utf8'), 'VmRSS');
      if (pss) pssTotal += field(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'), 'Pss');
    } catch {
      /* exited meanwhile */
    }
  }
  return { processes: pids.length, rss, pss: pss ? pssTotal : null };
}

/** Samples the tree's RSS every `everyMs` until stop() and returns the peak. */
function sampleRss(pid, everyMs = 20) {
  let peak = treeMemory(pid).rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, treeMemory(pid).rss);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeMemory(pid).rss);
    },
  };
}

let clockTicks;
/** Process times in /proc are in clock ticks (USER_HZ, 100 on common Linux builds). */
function ticksPerSecond() {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  return clockTicks;
}

/**
 * CPU seconds (user + system) of the tree rooted at pid, including the
 * children it has reaped: a forking server's finished sessions count once
 * the listener has waited for them.
 */
function treeCpuSeconds(pid) {
  let ticks = 0;
  for (const p of tree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      // Fields after the command name, which may itself hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime: fields 14-17 of proc(5), here from field 3 (state) on.
      for (const i of [11, 12, 13, 14]) ticks += Number(fields[i]);
    } catch {
      /* exited meanwhile */
    }
  }
  return ticks / ticksPerSecond();
}

module.exports = { tree, treeMemory, sampleRss, treeCpuSeconds };
