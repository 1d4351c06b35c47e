'use strict';
// Logins per second: connect, USER, PASS (230), QUIT; sequential and 50 at a
// time. Wharf twice: "wharf" logs the same user in again and again (verified-
// password cache warm); "wharf-fresh" logs a different user in each time
// (same password, same hash, never seen by this worker: a full argon2id
// verification every login).
const { EXTRA_USERS } = require('../servers');
const { login } = require('../control');
const { alternate } = require('../common');

async function once(port, user) {
  const control = await login(port, user ? { user } : {});
  control.socket.write('QUIT\r\n');
  await control.reply().catch(() => undefined);
  control.close();
}

/** Logins per second over `total` logins, or fewer when `seconds` run out first. */
async function rate(total, concurrency, next, seconds) {
  const started = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  let issued = 0;
  let done = 0;
  const lanes = Array.from({ length: concurrency }, async () => {
    while (issued < total && Date.now() < deadline) {
      issued++;
      await next();
      done++;
    }
  });
  await Promise.all(lanes);
  return done / (Number(process.hrtime.bigint() - started) / 1e9);
}

let fresh = 0;
function freshUser() {
  fresh++;
  if (fresh > EXTRA_USERS) throw new Error('out of never-used bench users (servers.js EXTRA_USERS)');
  return `wb${String(fresh).padStart(5, '0')}`;
}

module.exports = {
  id: 'logins',
  title: 'Logins per second',
  async run(ctx) {
    const n = ctx.smoke
      ? { seq: 5, conc: 20, freshSeq: 3, freshConc: 10, seconds: 5 }
      : { seq: 200, conc: 1000, freshSeq: 40, freshConc: 250, seconds: 6 };
    const servers = [];
    for (const server of ctx.servers) {
      servers.push(server);
      if (server.name === 'wharf') servers.push({ ...server, name: 'wharf-fresh', series: 'wharf-fresh', fresh: true });
    }
    // Warm the cache (and the engine's first argon2 run) before measuring.
    for (const server of ctx.servers) await once(server.port).catch(() => undefined);
    const { series, errors } = await alternate(
      ctx,
      async (server) => {
        const next = server.fresh ? () => once(server.port, freshUser()) : () => once(server.port);
        return {
          sequential: await rate(server.fresh ? n.freshSeq : n.seq, 1, next, n.seconds),
          concurrent: await rate(server.fresh ? n.freshConc : n.conc, 50, next, n.seconds),
        };
      },
      servers,
    );
    return {
      metrics: [
        { id: 'sequential', title: 'Logins, sequential', unit: 'logins/s', better: 'higher', series: series.sequential },
        { id: 'concurrent', title: 'Logins, 50 concurrent', unit: 'logins/s', better: 'higher', series: series.concurrent },
      ],
      errors,
      notes: [
        `Per round and server: ${n.seq} sequential, then ${n.conc} concurrent logins, each phase cut at ${n.seconds} s (rate = completed / elapsed); wharf-fresh ${n.freshSeq} and ${n.freshConc}, each with a user this worker never verified.`,
      ],
      commands: ['Node client in bench/ftp/control.js: connect, 220, USER, 331, PASS, 230, QUIT'],
    };
  },
};
