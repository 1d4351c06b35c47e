import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';

import type { FieldError } from '../common/errors';

export interface CertificateInfo {
  subject: string;
  issuer: string;
  subjectAltName: string | null;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  selfSigned: boolean;
}

/** Facts an admin needs about a stored certificate; null when it does not parse. */
export function describeCertificate(certPem: string | null): CertificateInfo | null {
  if (!certPem) return null;
  try {
    const cert = new X509Certificate(certPem);
    return {
      subject: cert.subject,
      issuer: cert.issuer,
      subjectAltName: cert.subjectAltName ?? null,
      validFrom: new Date(cert.validFrom).toISOString(),
      validTo: new Date(cert.validTo).toISOString(),
      fingerprint256: cert.fingerprint256,
      // checkIssued() also demands CA key usage, which a leaf self-signed cert lacks.
      selfSigned: cert.subject === cert.issuer && cert.verify(cert.publicKey),
    };
  } catch {
    return null;
  }
}

/**
 * Why a certificate/key pair cannot serve TLS, as field errors: the
 * certificate must parse and be valid now, the key must parse without a
 * passphrase, and the key must be the certificate's.
 */
export function tlsMaterialProblems(
  certPem: string,
  keyPem: string,
  now = new Date(),
): FieldError[] {
  const errors: FieldError[] = [];
  let cert: X509Certificate | undefined;
  let key: KeyObject | undefined;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    errors.push({ field: 'certPem', message: 'certPem is not a valid PEM X.509 certificate' });
  }
  try {
    key = createPrivateKey({ key: keyPem, format: 'pem' });
  } catch (error) {
    const encrypted = /passphrase|encrypted/i.test((error as Error).message);
    errors.push({
      field: 'keyPem',
      message: encrypted
        ? 'keyPem is encrypted; provide the key without a passphrase'
        : 'keyPem is not a valid PEM private key',
    });
  }
  if (cert) {
    if (new Date(cert.validTo) < now) {
      errors.push({
        field: 'certPem',
        message: `certPem expired on ${new Date(cert.validTo).toISOString()}`,
      });
    } else if (new Date(cert.validFrom) > now) {
      errors.push({
        field: 'certPem',
        message: `certPem is not valid before ${new Date(cert.validFrom).toISOString()}`,
      });
    }
  }
  if (cert && key && !cert.checkPrivateKey(key)) {
    errors.push({ field: 'keyPem', message: "keyPem does not match the certificate's public key" });
  }
  return errors;
}
