import { Alert, Box, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';

import { RelativeTime } from '../common/relative-time';

export interface CertificateInfo {
  subject?: string;
  issuer?: string;
  validFrom?: string;
  validTo?: string;
  fingerprint256?: string;
  subjectAltName?: string | null;
  selfSigned?: boolean;
}

/** What the api reports about the installed certificate (the PEM itself is write-only). */
export function CertificateInfoPanel() {
  const record = useRecordContext<{
    id: string;
    certificate?: CertificateInfo | null;
    tlsMode?: string;
  }>();
  if (!record) return null;
  const cert = record.certificate;
  if (!cert) {
    return (
      <Alert
        severity={record.tlsMode && record.tlsMode !== 'none' ? 'warning' : 'info'}
        sx={{ mb: 2, maxWidth: 720 }}
      >
        No certificate installed
        {record.tlsMode && record.tlsMode !== 'none' ? ': FTPS cannot work until one is.' : '.'}
      </Alert>
    );
  }
  const expiresInDays = cert.validTo
    ? (new Date(cert.validTo).getTime() - Date.now()) / 86_400_000
    : null;
  return (
    <Alert
      severity={expiresInDays != null && expiresInDays < 14 ? 'warning' : 'success'}
      sx={{ mb: 2, maxWidth: 720 }}
      data-testid="certificate-info"
    >
      <Typography variant="body2">
        <b>Installed certificate:</b> {cert.subject ?? 'unknown subject'}
        {cert.selfSigned ? ' (self-signed)' : ''}
      </Typography>
      {cert.validTo ? (
        <Typography variant="body2">
          Valid until <RelativeTime value={cert.validTo} />
        </Typography>
      ) : null}
      {cert.subjectAltName ? (
        <Typography variant="body2">Names: {cert.subjectAltName}</Typography>
      ) : null}
      {cert.issuer && !cert.selfSigned ? (
        <Typography variant="body2">Issuer: {cert.issuer}</Typography>
      ) : null}
      {cert.fingerprint256 ? (
        <Box component="code" sx={{ fontSize: 11, wordBreak: 'break-all' }}>
          SHA-256 {cert.fingerprint256}
        </Box>
      ) : null}
    </Alert>
  );
}
