import {
  BooleanField,
  ChipField,
  NumberField,
  ReferenceArrayField,
  Show,
  SimpleShowLayout,
  SingleFieldList,
  TextField,
} from 'react-admin';

import { BytesField } from '../common/bytes-field';
import { PermissionRulesField } from '../common/permission-rules';

export default function GroupShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="name" />
        <TextField source="description" emptyText="—" />
        <ReferenceArrayField source="memberIds" reference="ftp-users" label="Members">
          <SingleFieldList>
            <ChipField source="username" size="small" />
          </SingleFieldList>
        </ReferenceArrayField>
        <BytesField source="quotaBytes" label="Storage quota" emptyText="none" />
        <NumberField source="quotaFiles" label="Max files" emptyText="none" />
        <BytesField source="uploadQuotaBytes" label="Upload quota" emptyText="none" />
        <BytesField source="downloadQuotaBytes" label="Download quota" emptyText="none" />
        <TextField source="quotaPeriod" label="Quota period" emptyText="—" />
        <BytesField source="uploadBandwidth" label="Upload bandwidth" rate emptyText="unlimited" />
        <BytesField
          source="downloadBandwidth"
          label="Download bandwidth"
          rate
          emptyText="unlimited"
        />
        <NumberField source="maxSessions" label="Max sessions" emptyText="unlimited" />
        <BooleanField source="requireTls" label="Require TLS" emptyText="—" />
        <PermissionRulesField source="permissions" label="Default permissions" />
      </SimpleShowLayout>
    </Show>
  );
}
