import { ADMIN_ROLES } from '@wharf/contracts';
import {
  BooleanInput,
  minLength,
  PasswordInput,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
} from 'react-admin';

const ROLE_CHOICES = ADMIN_ROLES.map((r) => ({ id: r, name: r }));

export function AdminForm({ mode }: { mode: 'create' | 'edit' }) {
  return (
    <SimpleForm
      defaultValues={mode === 'create' ? { enabled: true, role: 'admin' } : undefined}
      warnWhenUnsavedChanges
    >
      <TextInput
        source="username"
        validate={required()}
        autoComplete="off"
        sx={{ width: 320 }}
        readOnly={mode === 'edit'}
      />
      <PasswordInput
        source="password"
        label={mode === 'create' ? 'Password' : 'New password'}
        validate={mode === 'create' ? [required(), minLength(12)] : [minLength(12)]}
        autoComplete="new-password"
        helperText={
          mode === 'create' ? 'At least 12 characters' : 'Leave empty to keep the current password'
        }
        sx={{ width: 320 }}
      />
      <SelectInput
        source="role"
        choices={ROLE_CHOICES}
        validate={required()}
        helperText="superadmin: everything; admin: FTP users, groups, servers, sessions; auditor: read-only"
        sx={{ width: 240 }}
      />
      <BooleanInput
        source="enabled"
        helperText="The last superadmin cannot be disabled, demoted or deleted"
      />
    </SimpleForm>
  );
}
