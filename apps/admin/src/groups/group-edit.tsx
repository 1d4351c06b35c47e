import { DeleteWithConfirmButton, Edit, ShowButton, TopToolbar } from 'react-admin';

import { GroupForm } from './group-form';

function Actions() {
  return (
    <TopToolbar>
      <ShowButton />
      <DeleteWithConfirmButton
        mutationMode="pessimistic"
        confirmTitle="Delete this group?"
        confirmContent="Members stay, but lose the defaults and permissions they inherited from it."
      />
    </TopToolbar>
  );
}

export default function GroupEdit() {
  return (
    <Edit mutationMode="pessimistic" actions={<Actions />} redirect="list">
      <GroupForm mode="edit" />
    </Edit>
  );
}
