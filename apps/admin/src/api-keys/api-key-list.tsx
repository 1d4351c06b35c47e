import KeyIcon from '@mui/icons-material/Key';
import { CreateButton, Datagrid, List, TextField } from 'react-admin';

import { EmptyState } from '../common/empty-state';
import { RelativeTimeField } from '../common/relative-time';
import { useCanWrite } from '../common/use-role';
import { ApiKeyStatusField, PrefixField, RevokeButton } from './api-key-fields';

export default function ApiKeyList() {
  const canWrite = useCanWrite('api-keys');
  return (
    <List
      sort={{ field: 'createdAt', order: 'DESC' }}
      exporter={false}
      empty={
        <EmptyState
          icon={<KeyIcon />}
          title="No API keys"
          hint="Keys let scripts call the REST api as Authorization: Bearer <key> or X-API-Key."
          action={canWrite ? <CreateButton variant="contained" /> : undefined}
        />
      }
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField source="name" />
        <TextField source="role" />
        <PrefixField label="Key" />
        <ApiKeyStatusField label="Status" />
        <RelativeTimeField source="lastUsedAt" label="Last used" emptyText="never" />
        <RelativeTimeField source="createdAt" label="Created" />
        <RelativeTimeField source="expiresAt" label="Expires" emptyText="never" />
        <RelativeTimeField source="revokedAt" label="Revoked" emptyText="—" sortable={false} />
        <RevokeButton />
      </Datagrid>
    </List>
  );
}
