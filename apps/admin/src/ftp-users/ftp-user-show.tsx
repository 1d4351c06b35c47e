import {
  BooleanField,
  ChipField,
  DateField,
  EditButton,
  FunctionField,
  NumberField,
  ReferenceArrayField,
  Show,
  SingleFieldList,
  TabbedShowLayout,
  TextField,
  TopToolbar,
} from 'react-admin';

import { BytesField } from '../common/bytes-field';
import { PermissionRulesField } from '../common/permission-rules';
import { RelativeTimeField } from '../common/relative-time';
import { EffectiveSettingsPanel } from './effective-settings-panel';
import type { FtpUserRecord } from './ftp-user.types';
import { FtpUserFilesField, FtpUserQuotaField, FtpUserStatusField } from './ftp-user-fields';
import { ResetPasswordButton } from './reset-password-button';
import { ToggleEnabledButton } from './toggle-enabled-button';

function ShowActions() {
  return (
    <TopToolbar>
      <ToggleEnabledButton />
      <ResetPasswordButton />
      <EditButton />
    </TopToolbar>
  );
}

export default function FtpUserShow() {
  return (
    <Show actions={<ShowActions />}>
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="Account">
          <TextField source="username" />
          <FtpUserStatusField label="Status" />
          <DateField source="expiresAt" label="Expires at" showTime emptyText="never" />
          <TextField source="homeDir" label="Home directory" emptyText="(default)" />
          <ReferenceArrayField source="groupIds" reference="groups" label="Groups">
            <SingleFieldList>
              <ChipField source="name" size="small" />
            </SingleFieldList>
          </ReferenceArrayField>
          <RelativeTimeField source="lastLoginAt" label="Last login" emptyText="never" />
          <RelativeTimeField source="createdAt" label="Created" />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Usage & limits" path="limits">
          <FtpUserQuotaField label="Storage used" />
          <FtpUserFilesField label="Files" />
          <BytesField source="uploadQuotaBytes" label="Upload quota" emptyText="inherited / none" />
          <BytesField
            source="downloadQuotaBytes"
            label="Download quota"
            emptyText="inherited / none"
          />
          <TextField source="quotaPeriod" label="Quota period" emptyText="inherited" />
          <BytesField
            source="uploadBandwidth"
            label="Upload bandwidth"
            rate
            emptyText="inherited / unlimited"
          />
          <BytesField
            source="downloadBandwidth"
            label="Download bandwidth"
            rate
            emptyText="inherited / unlimited"
          />
          <NumberField
            source="maxSessions"
            label="Max sessions"
            emptyText="inherited / unlimited"
          />
          <FunctionField<FtpUserRecord>
            label="IP allow list"
            render={(r) => (r.allowedIps?.length ? r.allowedIps.join(', ') : 'any address')}
          />
          <BooleanField source="requireTls" label="Require TLS" emptyText="inherited" />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Permissions" path="permissions">
          <PermissionRulesField source="permissions" label="Rules" />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Effective settings" path="effective">
          <EffectiveSettingsPanel />
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  );
}
