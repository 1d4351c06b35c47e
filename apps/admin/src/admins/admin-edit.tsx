import { DeleteWithConfirmButton, Edit, TopToolbar } from 'react-admin';

import { AdminForm } from './admin-form';

function Actions() {
  return (
    <TopToolbar>
      <DeleteWithConfirmButton
        mutationMode="pessimistic"
        confirmTitle="Delete this admin?"
        confirmContent="The account can no longer log in; its past changes stay in the audit log."
      />
    </TopToolbar>
  );
}

export default function AdminEdit() {
  return (
    <Edit mutationMode="pessimistic" actions={<Actions />} redirect="list">
      <AdminForm mode="edit" />
    </Edit>
  );
}
