import GroupsIcon from '@mui/icons-material/Groups';
import {
  CreateButton,
  Datagrid,
  EditButton,
  FunctionField,
  List,
  NumberField,
  TextField,
  TextInput,
} from 'react-admin';

import { BytesField } from '../common/bytes-field';
import { EmptyState } from '../common/empty-state';
import { useCanWrite } from '../common/use-role';

const filters = [<TextInput key="q" source="q" label="Search" alwaysOn resettable />];

export default function GroupList() {
  const canWrite = useCanWrite('groups');
  return (
    <List
      filters={filters}
      sort={{ field: 'name', order: 'ASC' }}
      empty={
        <EmptyState
          icon={<GroupsIcon />}
          title="No groups yet"
          hint="Groups carry default quotas, limits and permissions that their members inherit."
          action={canWrite ? <CreateButton variant="contained" /> : undefined}
        />
      }
    >
      <Datagrid rowClick={canWrite ? 'edit' : 'show'} bulkActionButtons={false}>
        <TextField source="name" />
        <TextField source="description" sortable={false} />
        <FunctionField
          label="Members"
          sortable={false}
          render={(r: { memberIds?: unknown[] }) => r.memberIds?.length ?? 0}
        />
        <BytesField source="quotaBytes" label="Storage quota" emptyText="none" sortable={false} />
        <NumberField source="maxSessions" label="Max sessions" emptyText="none" sortable={false} />
        <EditButton />
      </Datagrid>
    </List>
  );
}
