import { Create } from 'react-admin';

import { ServerForm } from './server-form';

export default function ServerCreate() {
  return (
    <Create redirect="list" title="New FTP server">
      <ServerForm mode="create" />
    </Create>
  );
}
