'use strict';
// The one self-signed certificate every server under test presents.
const { execFileSync } = require('node:child_process');
const { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const paths = require('./paths');

function ensureCertificate() {
  mkdirSync(paths.tlsDir, { recursive: true });
  const cert = path.join(paths.tlsDir, 'cert.pem');
  const key = path.join(paths.tlsDir, 'key.pem');
  if (!existsSync(cert) || !existsSync(key)) {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650',
      '-subj', '/CN=127.0.0.1', '-keyout', key, '-out', cert,
    ], { stdio: 'ignore' });
  }
  chmodSync(key, 0o600);
  // Pure-FTPd can also take certificate and key in one file.
  const combined = path.join(paths.tlsDir, 'combined.pem');
  if (!existsSync(combined)) {
    writeFileSync(combined, readFileSync(key, 'utf8') + readFileSync(cert, 'utf8'), { mode: 0o600 });
  }
  return { cert, key };
}

module.exports = { ensureCertificate };
