'use strict';
// Memory per idle logged-in session: open N sessions (plain, then AUTH TLS),
// let them settle, and divide the growth of the server's memory by N. A
// forking peer's growth is the PSS of its whole process tree (one or two
// processes per session); Wharf is one process (PSS and RSS both reported).
const { treeMemory } = require('../../lib/proc');
const { login } = require('../control');
const { alternate } = require('../common');

const settle = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Logins in flight at once. vsftpd listens with a backlog of 32 and forks two
 * processes per session: with 100 connects in flight and ~1,000 processes
 * forked, its accept queue overflowed, the kernel dropped the handshakes'
 * last ACK, and ~16 of 1,000 clients sat on a connection the server never
 * saw ("no login reply" at ~970 sessions in every run). The forking peers
 * get fewer lanes than the backlog.
 */
const lanesFor = (server, secure) => (server.wharf ? (secure ? 50 : 100) : 16);

async function openSessions(port, count, secure, lanesCount) {
  const sessions = [];
  let next = 0;
  let failure = null;
  const lanes = Array.from({ length: Math.min(count, lanesCount) }, async () => {
    while (next < count && !failure) {
      next++;
      try {
        sessions.push(await login(port, { secure }));
      } catch (error) {
        failure = error;
      }
    }
  });
  await Promise.all(lanes);
  return { sessions, failure };
}

module.exports = {
  id: 'idle',
  title: 'Memory per idle logged-in session',
  async run(ctx) {
    const counts = ctx.options.idleSessions;
    const rounds = ctx.smoke ? 1 : ctx.rounds;
    const { series, errors } = await alternate(
      { ...ctx, rounds },
      async (server) => {
        const values = {};
        if (server.wharf) {
          // Node grows its heap on first use: open and close a batch once, so
          // the measured growth is the sessions', not the warm-up's.
          const warm = await openSessions(server.port, Math.min(counts[0], 1000), false, lanesFor(server, false));
          for (const s of warm.sessions) s.close();
          await settle(ctx.smoke ? 200 : 2000);
        }
        for (const count of counts) {
          for (const secure of [false, true]) {
            const id = `${secure ? 'tls' : 'plain'}-${count}`;
            if (!server.wharf && count > ctx.options.idlePeerMax) {
              values[id] = null;
              continue;
            }
            await settle(500);
            const before = treeMemory(server.pid, { pss: true });
            const { sessions, failure } = await openSessions(server.port, count, secure, lanesFor(server, secure));
            await settle(ctx.smoke ? 200 : 3000);
            const after = treeMemory(server.pid, { pss: true });
            for (const s of sessions) s.close();
            await settle(ctx.smoke ? 200 : 2000);
            if (failure) throw new Error(`${id}: ${sessions.length} of ${count} sessions opened: ${failure.message}`);
            values[id] = (after.pss - before.pss) / count / 1024;
            if (server.wharf) values[`rss-${id}`] = (after.rss - before.rss) / count / 1024;
          }
        }
        return values;
      },
    );
    const metrics = [];
    for (const count of counts) {
      for (const kind of ['plain', 'tls']) {
        const id = `${kind}-${count}`;
        metrics.push({
          id,
          title: `Idle session, ${kind === 'tls' ? 'AUTH TLS' : 'plain'}, ${count.toLocaleString('en')} sessions (PSS growth / N)`,
          unit: 'KiB',
          better: 'lower',
          series: series[id],
        });
      }
    }
    const notes = counts.some((c) => c > ctx.options.idlePeerMax)
      ? [
          `Peers fork one or two processes per session: they are measured up to ${ctx.options.idlePeerMax.toLocaleString('en')} sessions only (10,000 would take 10,000-20,000 processes and several GiB on this shared machine; their per-session cost is linear in the count).`,
        ]
      : [];
    return {
      metrics,
      notes,
      extra: Object.fromEntries(Object.entries(series).filter(([k]) => k.startsWith('rss-'))),
      errors,
      commands: ['Node client in bench/ftp/control.js holds N logged-in sessions; /proc/<pid>/smaps_rollup Pss summed over the server process tree before and after'],
    };
  },
};
