import MemoryIcon from '@mui/icons-material/Memory';
import { Datagrid, List, NumberField, TextField } from 'react-admin';

import { EmptyState } from '../common/empty-state';
import { RelativeTimeField } from '../common/relative-time';
import { workerRowSx, WorkerStatusField } from './worker-fields';

export default function WorkerList() {
  return (
    <List
      sort={{ field: 'hostname', order: 'ASC' }}
      queryOptions={{ refetchInterval: 5000 }}
      empty={
        <EmptyState
          icon={<MemoryIcon />}
          title="No worker has registered"
          hint="Workers register themselves when they start (npm start runs one)."
        />
      }
    >
      <Datagrid rowClick="show" bulkActionButtons={false} rowSx={workerRowSx}>
        <TextField source="hostname" />
        <WorkerStatusField label="Status" />
        <RelativeTimeField source="lastHeartbeatAt" label="Last heartbeat" />
        <NumberField source="sessionCount" label="Sessions" />
        <TextField source="version" sortable={false} />
        <RelativeTimeField source="startedAt" label="Started" />
        <TextField source="id" label="Worker id" sortable={false} />
      </Datagrid>
    </List>
  );
}
