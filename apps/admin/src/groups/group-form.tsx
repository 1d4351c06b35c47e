import {
  AutocompleteArrayInput,
  ReferenceArrayInput,
  required,
  TabbedForm,
  TextInput,
} from 'react-admin';

import { LimitInputs, NetworkInputs } from '../common/limit-inputs';
import { PermissionRulesInput } from '../common/permission-rules';

export function GroupForm({ mode }: { mode: 'create' | 'edit' }) {
  return (
    <TabbedForm
      defaultValues={
        mode === 'create'
          ? { memberIds: [], permissions: [], allowedIps: [], requireTls: null }
          : undefined
      }
      warnWhenUnsavedChanges
    >
      <TabbedForm.Tab label="Group">
        <TextInput source="name" validate={required()} sx={{ width: 320 }} />
        <TextInput source="description" multiline minRows={2} sx={{ width: 520 }} />
        <ReferenceArrayInput
          source="memberIds"
          reference="ftp-users"
          sort={{ field: 'username', order: 'ASC' }}
        >
          <AutocompleteArrayInput label="Members" optionText="username" sx={{ minWidth: 520 }} />
        </ReferenceArrayInput>
      </TabbedForm.Tab>
      <TabbedForm.Tab label="Default permissions" path="permissions">
        <PermissionRulesInput />
      </TabbedForm.Tab>
      <TabbedForm.Tab label="Default limits" path="limits">
        <LimitInputs inheritHint="Members inherit these values unless they set their own. Empty: no default." />
      </TabbedForm.Tab>
      <TabbedForm.Tab label="Network & TLS" path="network">
        <NetworkInputs nullableTls />
      </TabbedForm.Tab>
    </TabbedForm>
  );
}
