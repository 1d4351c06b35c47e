import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import {
  Datagrid,
  DateTimeInput,
  FilterButton,
  FunctionField,
  List,
  ReferenceField,
  ReferenceInput,
  SelectInput,
  TextField,
  TextInput,
  TopToolbar,
} from 'react-admin';

import { BytesField } from '../common/bytes-field';
import { EmptyState } from '../common/empty-state';
import { formatDuration } from '../common/format';
import { RelativeTimeField } from '../common/relative-time';
import { ExportCsvButton } from './export-csv-button';
import {
  OPERATION_CHOICES,
  OUTCOME_CHOICES,
  OutcomeField,
  PathField,
  type TransferRecord,
} from './transfer-fields';

const toIso = (v: string | null | undefined) => (v ? new Date(v).toISOString() : undefined);

const filters = [
  <TextInput key="username" source="username" label="User" alwaysOn resettable />,
  <SelectInput key="operation" source="operation" choices={OPERATION_CHOICES} alwaysOn />,
  <SelectInput key="outcome" source="outcome" choices={OUTCOME_CHOICES} alwaysOn />,
  <TextInput key="clientIp" source="clientIp" label="Client IP" resettable />,
  <TextInput key="pathPrefix" source="pathPrefix" label="Path starts with" resettable />,
  <DateTimeInput key="from" source="from" label="From" parse={toIso} />,
  <DateTimeInput key="to" source="to" label="To" parse={toIso} />,
  <ReferenceInput key="serverId" source="serverId" reference="servers">
    <SelectInput label="Server" optionText="name" />
  </ReferenceInput>,
  <ReferenceInput key="workerId" source="workerId" reference="workers">
    <SelectInput label="Worker" optionText="hostname" />
  </ReferenceInput>,
];

function Actions() {
  return (
    <TopToolbar>
      <FilterButton />
      <ExportCsvButton />
    </TopToolbar>
  );
}

export default function TransferList() {
  return (
    <List
      filters={filters}
      sort={{ field: 'occurredAt', order: 'DESC' }}
      actions={<Actions />}
      perPage={50}
      exporter={false}
      empty={
        <EmptyState
          icon={<ReceiptLongIcon />}
          title="No transfers recorded yet"
          hint="Every FTP login, upload, download, rename and delete appears here."
        />
      }
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <RelativeTimeField source="occurredAt" label="When" />
        <TextField source="username" label="User" emptyText="—" sortable={false} />
        <TextField source="clientIp" label="Client IP" sortable={false} />
        <TextField source="operation" sortable={false} />
        <OutcomeField label="Outcome" />
        <PathField label="Path" />
        <BytesField source="bytes" sortable={false} />
        <FunctionField<TransferRecord>
          label="Duration"
          render={(r) => formatDuration(r.durationMs)}
        />
        <ReferenceField
          source="serverId"
          reference="servers"
          label="Server"
          link="show"
          sortable={false}
          emptyText="—"
        />
      </Datagrid>
    </List>
  );
}
