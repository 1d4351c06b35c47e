import { Chip } from '@mui/material';
import { useRecordContext } from 'react-admin';

import { RelativeTime } from '../common/relative-time';
import type { CertificateInfo } from './certificate-info';

export function TlsModeField(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext<{ id: string; tlsMode?: string; requireTls?: boolean }>();
  if (!record) return null;
  const mode = record.tlsMode ?? 'none';
  return (
    <Chip
      size="small"
      label={`${mode}${record.requireTls ? ', required' : ''}`}
      color={mode === 'none' ? 'default' : 'success'}
      variant="outlined"
    />
  );
}

export function AddressField(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext<{ id: string; bindAddress?: string; port?: number }>();
  if (!record) return null;
  return (
    <code>
      {record.bindAddress ?? '0.0.0.0'}:{record.port ?? '?'}
    </code>
  );
}

export function CertificateExpiryField(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext<{ id: string; certificate?: CertificateInfo | null }>();
  if (!record?.certificate?.validTo) return <span>—</span>;
  return <RelativeTime value={record.certificate.validTo} />;
}
