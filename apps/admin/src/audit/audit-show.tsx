import { Labeled, Show, SimpleShowLayout, TextField } from 'react-admin';

import { RelativeTimeField } from '../common/relative-time';
import { AuditDiff } from './audit-diff';

export default function AuditShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <RelativeTimeField source="at" label="When" />
        <TextField source="actorUsername" label="Admin" />
        <TextField source="actorRole" label="Role" emptyText="—" />
        <TextField source="action" />
        <TextField source="targetType" label="Target type" />
        <TextField source="targetId" label="Target id" emptyText="—" />
        <TextField source="clientIp" label="Client IP" emptyText="—" />
        <Labeled label="Changes" fullWidth>
          <AuditDiff />
        </Labeled>
      </SimpleShowLayout>
    </Show>
  );
}
