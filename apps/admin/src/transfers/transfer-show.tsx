import { FunctionField, ReferenceField, Show, SimpleShowLayout, TextField } from 'react-admin';

import { BytesField } from '../common/bytes-field';
import { formatDuration } from '../common/format';
import { RelativeTimeField } from '../common/relative-time';
import { OutcomeField, type TransferRecord } from './transfer-fields';

export default function TransferShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="id" label="Event id" />
        <RelativeTimeField source="occurredAt" label="When" />
        <TextField source="operation" />
        <OutcomeField label="Outcome" />
        <TextField source="reason" emptyText="—" />
        <ReferenceField
          source="userId"
          reference="ftp-users"
          label="User"
          link="show"
          emptyText="—"
        />
        <TextField source="username" label="Username (as typed)" emptyText="—" />
        <TextField source="clientIp" label="Client IP" />
        <TextField source="path" sx={{ fontFamily: 'monospace' }} emptyText="—" />
        <TextField
          source="targetPath"
          label="Target path"
          sx={{ fontFamily: 'monospace' }}
          emptyText="—"
        />
        <BytesField source="bytes" />
        <FunctionField<TransferRecord>
          label="Duration"
          render={(r) => formatDuration(r.durationMs)}
        />
        <TextField
          source="sha256"
          label="SHA-256"
          sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
          emptyText="—"
        />
        <ReferenceField
          source="serverId"
          reference="servers"
          label="Server"
          link="show"
          emptyText="—"
        />
        <ReferenceField
          source="workerId"
          reference="workers"
          label="Worker"
          link="show"
          emptyText="—"
        />
        <TextField source="sessionId" label="Session id" emptyText="—" />
      </SimpleShowLayout>
    </Show>
  );
}
