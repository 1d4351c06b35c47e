'use strict';
const { execFileSync } = require('node:child_process');
const os = require('node:os');

function firstLine(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0].trim();
  } catch (error) {
    const text = `${error.stdout ?? ''}${error.stderr ?? ''}`.split('\n')[0].trim();
    return text || null;
  }
}

function machineInfo() {
  const cpus = os.cpus();
  return {
    nproc: cpus.length,
    cpu: cpus[0]?.model ?? null,
    memoryBytes: os.totalmem(),
    kernel: `${os.type()} ${os.release()}`,
    os: firstLine('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"']),
    node: process.version,
    tools: {
      curl: firstLine('curl', ['--version']),
      lftp: firstLine('lftp', ['--version']),
      openssl: firstLine('openssl', ['version']),
      iperf3: firstLine('iperf3', ['--version']),
      vsftpd: firstLine('dpkg-query', ['-W', '-f=${Version}', 'vsftpd']),
    },
  };
}

function loadNow() {
  return { loadavg: os.loadavg().map((x) => Number(x.toFixed(2))), uptime: firstLine('uptime', []) };
}

module.exports = { machineInfo, loadNow };
