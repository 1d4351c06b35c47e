import {
  AutocompleteArrayInput,
  BooleanInput,
  DateTimeInput,
  minLength,
  PasswordInput,
  ReferenceArrayInput,
  regex,
  required,
  TabbedForm,
  TextInput,
} from 'react-admin';

import { LimitInputs, NetworkInputs } from '../common/limit-inputs';
import { DEFAULT_RULES, PermissionRulesInput } from '../common/permission-rules';
import { EffectiveSettingsPanel } from './effective-settings-panel';

/** The api's documented username charset; it re-validates, this only saves a round trip. */
const usernameRules = [
  required(),
  regex(
    /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/,
    'Letters, digits and . _ @ - (up to 64, starting with a letter or digit)',
  ),
];

const toIsoOrNull = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null);

export const FTP_USER_DEFAULTS = {
  enabled: true,
  permissions: DEFAULT_RULES,
  groupIds: [],
  allowedIps: [],
  requireTls: null,
};

export function FtpUserForm({ mode }: { mode: 'create' | 'edit' }) {
  return (
    <TabbedForm
      defaultValues={mode === 'create' ? FTP_USER_DEFAULTS : undefined}
      warnWhenUnsavedChanges
    >
      <TabbedForm.Tab label="Account">
        <TextInput
          source="username"
          validate={usernameRules}
          autoComplete="off"
          sx={{ width: 320 }}
        />
        {mode === 'create' ? (
          <PasswordInput
            source="password"
            validate={[required(), minLength(8)]}
            autoComplete="new-password"
            helperText="Stored as an argon2id hash; it cannot be shown again."
            sx={{ width: 320 }}
          />
        ) : null}
        <BooleanInput
          source="enabled"
          helperText="A disabled user cannot log in; open sessions are closed."
        />
        <DateTimeInput
          source="expiresAt"
          label="Expires at"
          parse={toIsoOrNull}
          helperText="Empty: never expires"
        />
        <TextInput
          source="homeDir"
          label="Home directory"
          helperText="Virtual root under the storage root; empty: named after the user"
          sx={{ width: 420 }}
        />
        <ReferenceArrayInput
          source="groupIds"
          reference="groups"
          sort={{ field: 'name', order: 'ASC' }}
        >
          <AutocompleteArrayInput label="Groups" optionText="name" sx={{ minWidth: 420 }} />
        </ReferenceArrayInput>
      </TabbedForm.Tab>
      <TabbedForm.Tab label="Permissions" path="permissions">
        <PermissionRulesInput />
      </TabbedForm.Tab>
      <TabbedForm.Tab label="Quotas & limits" path="limits">
        <LimitInputs inheritHint="Empty fields inherit the value of the user's groups (a user's own value wins)." />
      </TabbedForm.Tab>
      <TabbedForm.Tab label="Network & TLS" path="network">
        <NetworkInputs nullableTls />
      </TabbedForm.Tab>
      {mode === 'edit' ? (
        <TabbedForm.Tab label="Effective settings" path="effective">
          <EffectiveSettingsPanel />
        </TabbedForm.Tab>
      ) : null}
    </TabbedForm>
  );
}
