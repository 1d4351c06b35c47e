import DnsIcon from '@mui/icons-material/Dns';
import {
  BooleanField,
  ChipField,
  CreateButton,
  Datagrid,
  EditButton,
  List,
  ReferenceArrayField,
  SingleFieldList,
  TextField,
} from 'react-admin';

import { EmptyState } from '../common/empty-state';
import { useCanWrite } from '../common/use-role';
import { AddressField, CertificateExpiryField, TlsModeField } from './server-fields';

export default function ServerList() {
  const canWrite = useCanWrite('servers');
  return (
    <List
      sort={{ field: 'name', order: 'ASC' }}
      empty={
        <EmptyState
          icon={<DnsIcon />}
          title="No FTP servers configured"
          hint="A server is a listener (address, port, TLS) that the assigned workers run."
          action={canWrite ? <CreateButton variant="contained" /> : undefined}
        />
      }
    >
      <Datagrid rowClick={canWrite ? 'edit' : 'show'} bulkActionButtons={false}>
        <TextField source="name" />
        <AddressField label="Listens on" />
        <TlsModeField label="TLS" />
        <BooleanField source="enabled" />
        <ReferenceArrayField
          source="workerIds"
          reference="workers"
          label="Workers"
          sortable={false}
        >
          <SingleFieldList linkType="show">
            <ChipField source="hostname" size="small" />
          </SingleFieldList>
        </ReferenceArrayField>
        <CertificateExpiryField label="Certificate expires" />
        <EditButton />
      </Datagrid>
    </List>
  );
}
