import { NumberField, Show, SimpleShowLayout, TextField } from 'react-admin';

import { RelativeTimeField } from '../common/relative-time';
import { WorkerStatusField } from './worker-fields';

export default function WorkerShow() {
  return (
    <Show queryOptions={{ refetchInterval: 5000 }}>
      <SimpleShowLayout>
        <TextField source="id" label="Worker id" />
        <TextField source="hostname" />
        <WorkerStatusField label="Status" />
        <RelativeTimeField source="lastHeartbeatAt" label="Last heartbeat" />
        <NumberField source="sessionCount" label="Sessions" />
        <TextField source="version" />
        <RelativeTimeField source="startedAt" label="Started" />
      </SimpleShowLayout>
    </Show>
  );
}
