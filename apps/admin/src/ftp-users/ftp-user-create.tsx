import { Create } from 'react-admin';

import { FtpUserForm } from './ftp-user-form';

export default function FtpUserCreate() {
  return (
    <Create redirect="list" title="New FTP user">
      <FtpUserForm mode="create" />
    </Create>
  );
}
