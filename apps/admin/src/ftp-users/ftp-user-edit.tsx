import { DeleteWithConfirmButton, Edit, ShowButton, TopToolbar } from 'react-admin';

import { FtpUserForm } from './ftp-user-form';
import { ResetPasswordButton } from './reset-password-button';
import { ToggleEnabledButton } from './toggle-enabled-button';

function EditActions() {
  return (
    <TopToolbar>
      <ToggleEnabledButton />
      <ResetPasswordButton />
      <ShowButton />
      <DeleteWithConfirmButton
        confirmTitle="Delete this FTP user?"
        confirmContent="The account is removed and its sessions closed. Files in the home directory stay on disk."
        mutationMode="pessimistic"
      />
    </TopToolbar>
  );
}

export default function FtpUserEdit() {
  return (
    <Edit mutationMode="pessimistic" actions={<EditActions />} redirect="list">
      <FtpUserForm mode="edit" />
    </Edit>
  );
}
