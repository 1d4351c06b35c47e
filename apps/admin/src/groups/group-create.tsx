import { Create } from 'react-admin';

import { GroupForm } from './group-form';

export default function GroupCreate() {
  return (
    <Create redirect="list" title="New group">
      <GroupForm mode="create" />
    </Create>
  );
}
