import HistoryIcon from '@mui/icons-material/History';
import { Chip } from '@mui/material';
import { Datagrid, DateTimeInput, FunctionField, List, TextField, TextInput } from 'react-admin';

import { EmptyState } from '../common/empty-state';
import { RelativeTimeField } from '../common/relative-time';
import { AuditDiff, type AuditRecord, summarizeChanges } from './audit-diff';

const toIso = (v: string | null | undefined) => (v ? new Date(v).toISOString() : undefined);

const filters = [
  <TextInput key="actor" source="actor" label="Admin" alwaysOn resettable />,
  <TextInput key="targetType" source="targetType" label="Target type" alwaysOn resettable />,
  <TextInput key="action" source="action" label="Action" resettable />,
  <TextInput key="targetId" source="targetId" label="Target id" resettable />,
  <DateTimeInput key="from" source="from" label="From" parse={toIso} />,
  <DateTimeInput key="to" source="to" label="To" parse={toIso} />,
];

function actionColor(action: string): 'success' | 'error' | 'info' | 'default' {
  if (/create|add/i.test(action)) return 'success';
  if (/delete|revoke|remove|kick/i.test(action)) return 'error';
  if (/update|edit|change|reset/i.test(action)) return 'info';
  return 'default';
}

export default function AuditList() {
  return (
    <List
      filters={filters}
      sort={{ field: 'at', order: 'DESC' }}
      perPage={50}
      empty={<EmptyState icon={<HistoryIcon />} title="No admin changes recorded yet" />}
    >
      <Datagrid rowClick="expand" expand={<AuditDiff />} bulkActionButtons={false}>
        <RelativeTimeField source="at" label="When" />
        <TextField source="actorUsername" label="Admin" emptyText="—" sortable={false} />
        <FunctionField<AuditRecord>
          label="Action"
          render={(r) => (
            <Chip size="small" label={r.action} color={actionColor(r.action)} variant="outlined" />
          )}
        />
        <TextField source="targetType" label="Target" sortable={false} />
        <TextField source="targetId" label="Target id" sortable={false} emptyText="—" />
        <FunctionField<AuditRecord>
          label="Fields changed"
          render={(r) => summarizeChanges(r.changes)}
        />
        <TextField source="clientIp" label="Client IP" sortable={false} emptyText="—" />
      </Datagrid>
    </List>
  );
}
