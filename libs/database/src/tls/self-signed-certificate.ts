import { isIP } from 'node:net';

import { generate } from 'selfsigned';

export interface CertificatePair {
  certPem: string;
  keyPem: string;
}

/**
 * A self-signed server certificate for FTPS: ECDSA P-256 (fast to generate,
 * accepted by lftp/GnuTLS, curl and Python's ssl), SHA-256, valid 825 days,
 * with the given host names and addresses as subjectAltNames.
 */
export async function generateSelfSignedCertificate(
  options: { commonName?: string; altNames?: string[] } = {},
): Promise<CertificatePair> {
  const commonName = options.commonName ?? 'localhost';
  const names = [...new Set([commonName, 'localhost', '127.0.0.1', ...(options.altNames ?? [])])];
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 825 * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })),
      },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}
