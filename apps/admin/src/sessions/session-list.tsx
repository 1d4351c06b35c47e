import LinkOffIcon from '@mui/icons-material/LinkOff';
import SensorsIcon from '@mui/icons-material/Sensors';
import { Typography } from '@mui/material';
import {
  Datagrid,
  DeleteWithConfirmButton,
  FunctionField,
  List,
  ReferenceField,
  TextField,
  TextInput,
  useNotify,
  useRefresh,
} from 'react-admin';

import { BytesField } from '../common/bytes-field';
import { EmptyState } from '../common/empty-state';
import { RelativeTimeField } from '../common/relative-time';
import { type SessionRecord, TransferProgressField } from './session-fields';

/** Live view: react-query refetches every 2.5 s; the page keeps its filters and selection. */
const REFRESH_MS = 2500;

const filters = [
  <TextInput key="username" source="username" label="Username" alwaysOn resettable />,
];

function KickButton() {
  const notify = useNotify();
  const refresh = useRefresh();
  return (
    <DeleteWithConfirmButton
      label="Kick"
      icon={<LinkOffIcon />}
      mutationMode="pessimistic"
      confirmTitle="Close this FTP session?"
      confirmContent="The client is disconnected at once; a running transfer is aborted. The user can log in again unless you also disable the account."
      // successMessage is read as a translation key and falls back to
      // "Element deleted"; say what happened instead.
      mutationOptions={{
        onSuccess: () => {
          notify('Session closed', { type: 'info' });
          refresh();
        },
      }}
      redirect={false}
    />
  );
}

export default function SessionList() {
  return (
    <List
      sort={{ field: 'loginAt', order: 'DESC' }}
      filters={filters}
      perPage={50}
      queryOptions={{ refetchInterval: REFRESH_MS, refetchIntervalInBackground: false }}
      exporter={false}
      empty={
        <EmptyState
          icon={<SensorsIcon />}
          title="No one is connected"
          hint="Sessions appear here as clients log in."
        />
      }
      title={
        <Typography variant="h6" component="span">
          Live sessions
        </Typography>
      }
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <FunctionField<SessionRecord>
          label="User"
          sortBy="username"
          render={(r) => r.username ?? <i>not logged in</i>}
        />
        <TextField source="clientIp" label="Client IP" />
        <ReferenceField
          source="serverId"
          reference="servers"
          label="Server"
          link="show"
          emptyText="—"
          sortable={false}
        />
        <ReferenceField
          source="workerId"
          reference="workers"
          label="Worker"
          link="show"
          emptyText="—"
        />
        <RelativeTimeField source="loginAt" label="Logged in" />
        <TextField source="currentCommand" label="Current command" emptyText="—" sortable={false} />
        <TextField source="tls" label="TLS" emptyText="plain" sortable={false} />
        <TransferProgressField label="Transfer" />
        <BytesField source="bytesTransferred" label="Moved" />
        <KickButton />
      </Datagrid>
    </List>
  );
}
