import PeopleIcon from '@mui/icons-material/People';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Button } from '@mui/material';
import {
  BooleanField,
  BulkDeleteWithConfirmButton,
  BulkUpdateWithConfirmButton,
  ChipField,
  CreateButton,
  Datagrid,
  EditButton,
  ExportButton,
  FilterButton,
  List,
  ReferenceArrayField,
  SelectInput,
  SingleFieldList,
  TextField,
  TextInput,
  TopToolbar,
} from 'react-admin';
import { Link } from 'react-router-dom';

import { EmptyState } from '../common/empty-state';
import { RelativeTimeField } from '../common/relative-time';
import { useCanWrite } from '../common/use-role';
import { FtpUserFilesField, FtpUserQuotaField, FtpUserStatusField } from './ftp-user-fields';

const filters = [
  <TextInput key="q" source="q" label="Search username" alwaysOn resettable />,
  <SelectInput
    key="enabled"
    source="enabled"
    label="Status"
    choices={[
      { id: 'true', name: 'Enabled' },
      { id: 'false', name: 'Disabled' },
    ]}
  />,
];

function ImportButton() {
  return (
    <Button component={Link} to="/ftp-users/import" size="small" startIcon={<UploadFileIcon />}>
      Import CSV
    </Button>
  );
}

function ListActions({ canWrite }: { canWrite: boolean }) {
  return (
    <TopToolbar>
      <FilterButton />
      {canWrite ? <ImportButton /> : null}
      <CreateButton />
      <ExportButton />
    </TopToolbar>
  );
}

function BulkActions() {
  return (
    <>
      <BulkUpdateWithConfirmButton
        label="Enable"
        data={{ enabled: true }}
        mutationMode="pessimistic"
      />
      <BulkUpdateWithConfirmButton
        label="Disable"
        data={{ enabled: false }}
        mutationMode="pessimistic"
      />
      <BulkDeleteWithConfirmButton mutationMode="pessimistic" />
    </>
  );
}

export default function FtpUserList() {
  const canWrite = useCanWrite('ftp-users');
  return (
    <List
      filters={filters}
      sort={{ field: 'username', order: 'ASC' }}
      actions={<ListActions canWrite={canWrite} />}
      perPage={25}
      empty={
        <EmptyState
          icon={<PeopleIcon />}
          title="No FTP users yet"
          hint={
            canWrite
              ? 'Create one, or import many from a CSV file.'
              : 'Nobody has been provisioned yet.'
          }
          action={
            canWrite ? (
              <>
                <CreateButton variant="contained" /> <ImportButton />
              </>
            ) : undefined
          }
        />
      }
    >
      <Datagrid
        rowClick={canWrite ? 'edit' : 'show'}
        bulkActionButtons={canWrite ? <BulkActions /> : false}
      >
        <TextField source="username" />
        <FtpUserStatusField label="Status" sortable={false} />
        <FtpUserQuotaField label="Storage" sortable={false} />
        <FtpUserFilesField label="Files" sortable={false} />
        <ReferenceArrayField source="groupIds" reference="groups" label="Groups" sortable={false}>
          <SingleFieldList linkType={false}>
            <ChipField source="name" size="small" />
          </SingleFieldList>
        </ReferenceArrayField>
        <BooleanField source="requireTls" label="TLS required" sortable={false} />
        <RelativeTimeField source="lastLoginAt" label="Last login" emptyText="never" />
        <EditButton />
      </Datagrid>
    </List>
  );
}
