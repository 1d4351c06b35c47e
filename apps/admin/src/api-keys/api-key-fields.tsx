import { Chip } from '@mui/material';
import { DeleteWithConfirmButton, useRecordContext } from 'react-admin';

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt?: string;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
}

export function ApiKeyStatusField(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext<ApiKeyRecord>();
  if (!record) return null;
  return record.revokedAt ? (
    <Chip size="small" label="revoked" color="default" />
  ) : (
    <Chip size="small" label="active" color="success" variant="outlined" />
  );
}

export function PrefixField(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext<ApiKeyRecord>();
  if (!record) return null;
  return <code>{record.prefix}…</code>;
}

/** Deleting a key revokes it: it stays listed (with its last use) but stops working. */
export function RevokeButton() {
  const record = useRecordContext<ApiKeyRecord>();
  if (!record || record.revokedAt) return null;
  return (
    <DeleteWithConfirmButton
      label="Revoke"
      mutationMode="pessimistic"
      confirmTitle={`Revoke the API key "${record.name}"?`}
      confirmContent="Every client using this key is refused from now on. This cannot be undone."
      successMessage="API key revoked"
      redirect={false}
    />
  );
}
