import { Create } from 'react-admin';

import { AdminForm } from './admin-form';

export default function AdminCreate() {
  return (
    <Create redirect="list" title="New admin">
      <AdminForm mode="create" />
    </Create>
  );
}
