import AdminPanelSettingsIcon from '@mui/icons-material/AdminPanelSettings';
import { BooleanField, Datagrid, EditButton, List, TextField } from 'react-admin';

import { EmptyState } from '../common/empty-state';
import { RelativeTimeField } from '../common/relative-time';

export default function AdminList() {
  return (
    <List
      sort={{ field: 'username', order: 'ASC' }}
      exporter={false}
      empty={<EmptyState icon={<AdminPanelSettingsIcon />} title="No admins" />}
    >
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <TextField source="username" />
        <TextField source="role" />
        <BooleanField source="enabled" />
        <RelativeTimeField source="lastLoginAt" label="Last login" emptyText="never" />
        <RelativeTimeField source="createdAt" label="Created" />
        <EditButton />
      </Datagrid>
    </List>
  );
}
