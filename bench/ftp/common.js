'use strict';
// What the scenarios share: running a client, the A B A B round loop, fixtures.
const { execFile } = require('node:child_process');
const { chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeSync } = require('node:fs');
const { randomBytes } = require('node:crypto');
const path = require('node:path');

const paths = require('../lib/paths');

function exec(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      if (error) {
        error.message += `\n${stderr}`;
        reject(error);
      } else resolve(stdout);
    });
  });
}

/**
 * Writes back every dirty page before a measurement. A peer that does not
 * fsync leaves up to a GiB of an upload in the page cache, and its writeback
 * would otherwise run during the next server's measurement.
 */
function settleDisk() {
  return exec('sync', []);
}

/**
 * Runs `measure(server, round)` for every round and server in alternation
 * (round 1: A B C, round 2: A B C, ...). measure returns { metricId: value };
 * a throw records null for that run (the error is kept in notes).
 */
async function alternate(ctx, measure, servers = ctx.servers) {
  const series = {};
  const errors = [];
  for (let round = 0; round < ctx.rounds; round++) {
    for (const server of servers) {
      let values;
      try {
        values = await measure(server, round);
      } catch (error) {
        const lines = String(error.message || error).split('\n').filter((l) => l.trim());
        const message = lines.length > 1 ? `${lines[0].slice(0, 80)}... ${lines[lines.length - 1]}` : lines[0];
        errors.push(`${server.name} round ${round + 1}: ${message}`);
        ctx.log(`  ${server.name}: FAILED ${message}`);
        values = null;
      }
      if (values) {
        ctx.log(`  round ${round + 1} ${server.name}: ${JSON.stringify(values, (_, v) => (typeof v === 'number' ? Number(v.toPrecision(4)) : v))}`);
      }
      for (const [metric, value] of Object.entries(values ?? {})) {
        series[metric] ??= {};
        series[metric][server.series ?? server.name] ??= [];
        series[metric][server.series ?? server.name][round] = value;
      }
      if (!values) {
        for (const metric of Object.keys(series)) {
          series[metric][server.series ?? server.name] ??= [];
          series[metric][server.series ?? server.name][round] = null;
        }
      }
    }
  }
  return { series, errors };
}

/** Owned by the bench user, so the peers (which run as that user) can read and replace it. */
let owner;
function own(file) {
  if (!owner) {
    try {
      const id = (flag) => Number(require('node:child_process').execFileSync('id', [flag, paths.user], { stdio: 'pipe' }).toString());
      owner = { uid: id('-u'), gid: id('-g') };
    } catch {
      owner = { none: true }; // no bench user (Wharf-only smoke run): nothing to hand over
    }
  }
  if (!owner.none) chownSync(file, owner.uid, owner.gid);
}

/** A file of `size` bytes of random data (a 64 MiB random block repeated), created once. */
function fixtureFile(name, size) {
  const file = path.join(paths.homeDir, name);
  if (existsSync(file) && statSync(file).size === size) return file;
  mkdirSync(paths.homeDir, { recursive: true });
  const block = randomBytes(Math.min(size, 64 * 1024 * 1024));
  const fd = openSync(file, 'w');
  for (let written = 0; written < size; ) {
    const n = Math.min(block.length, size - written);
    writeSync(fd, block, 0, n);
    written += n;
  }
  closeSync(fd);
  own(file);
  return file;
}

/**
 * Wharf's engine keeps one file descriptor per finished download (the data
 * socket is never destroyed, see docs/BENCHMARKS.md): restart a Wharf server
 * before it would run out of descriptors. Returns true when it restarted.
 */
async function ensurePassivePorts(ctx, server, needed) {
  if (!server.wharf) return false;
  let open = 0;
  let limit = Infinity;
  try {
    open = readdirSync(`/proc/${server.pid}/fd`).length;
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${server.pid}/limits`, 'utf8'));
    if (m) limit = Number(m[1]);
  } catch {
    return false;
  }
  if (open + needed < limit - 1000) return false;
  ctx.log(`  ${server.name}: ${open} open file descriptors of ${limit}, restarting before ${needed} more downloads`);
  await server.restart();
  return true;
}

const ftpUrl = (server, file = '') => `ftp://127.0.0.1:${server.port}/${file}`;

module.exports = { exec, alternate, own, fixtureFile, ftpUrl, ensurePassivePorts, settleDisk };
