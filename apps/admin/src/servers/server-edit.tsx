import { DeleteWithConfirmButton, Edit, ShowButton, TopToolbar } from 'react-admin';

import { ServerForm } from './server-form';

function Actions() {
  return (
    <TopToolbar>
      <ShowButton />
      <DeleteWithConfirmButton
        mutationMode="pessimistic"
        confirmTitle="Delete this FTP server?"
        confirmContent="Every worker stops this listener and its open FTP sessions are closed."
      />
    </TopToolbar>
  );
}

export default function ServerEdit() {
  return (
    <Edit mutationMode="pessimistic" actions={<Actions />} redirect="list">
      <ServerForm mode="edit" />
    </Edit>
  );
}
