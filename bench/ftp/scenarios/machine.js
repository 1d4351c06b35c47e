'use strict';
// The machine's own limits in the same run: one TCP stream over loopback
// (iperf3) and AES-256-GCM in one core (openssl speed), the ceilings for plain
// FTP and FTPS transfers.
const { spawn } = require('node:child_process');

const { exec } = require('../common');

const IPERF_PORT = 19521;

async function iperf(seconds) {
  const server = spawn('iperf3', ['-s', '-1', '-B', '127.0.0.1', '-p', String(IPERF_PORT)], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 300));
    const out = JSON.parse(await exec('iperf3', ['-c', '127.0.0.1', '-p', String(IPERF_PORT), '-t', String(seconds), '-J']));
    return out.end.sum_received.bits_per_second / 8 / 1e9;
  } finally {
    server.kill('SIGTERM');
  }
}

async function aesGcm(seconds) {
  const out = await exec('openssl', ['speed', '-evp', 'aes-256-gcm', '-seconds', String(seconds), '-bytes', '16384']);
  // "AES-256-GCM   123456.78k" (thousands of bytes per second), last line.
  const line = out.trim().split('\n').pop();
  const k = Number(/([\d.]+)k\s*$/.exec(line)[1]);
  return (k * 1000) / 1e9;
}

module.exports = {
  id: 'machine',
  title: "The machine's limits",
  async run(ctx) {
    const seconds = ctx.smoke ? 1 : 5;
    const values = { iperf: [], aes: [] };
    const errors = [];
    for (let round = 0; round < ctx.rounds; round++) {
      try {
        values.iperf.push(await iperf(seconds));
      } catch (error) {
        errors.push(`iperf3: ${String(error.message).split('\n')[0]}`);
        values.iperf.push(null);
      }
      try {
        values.aes.push(await aesGcm(ctx.smoke ? 1 : 3));
      } catch (error) {
        errors.push(`openssl: ${String(error.message).split('\n')[0]}`);
        values.aes.push(null);
      }
      ctx.log(`  round ${round + 1}: iperf3 ${values.iperf[round]?.toFixed(2)} GB/s, aes-256-gcm ${values.aes[round]?.toFixed(2)} GB/s`);
    }
    return {
      metrics: [
        { id: 'iperf3', title: 'TCP over loopback, one stream (iperf3)', unit: 'GB/s', better: 'higher', series: { machine: values.iperf } },
        { id: 'aes-256-gcm', title: 'AES-256-GCM, one core, 16 KiB blocks (openssl speed)', unit: 'GB/s', better: 'higher', series: { machine: values.aes } },
      ],
      errors,
      commands: [
        `iperf3 -s -1 -B 127.0.0.1 -p ${IPERF_PORT} & iperf3 -c 127.0.0.1 -p ${IPERF_PORT} -t ${seconds} -J`,
        'openssl speed -evp aes-256-gcm -seconds 3 -bytes 16384',
      ],
    };
  },
};
