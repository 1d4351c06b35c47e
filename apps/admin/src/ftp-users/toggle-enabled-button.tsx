import BlockIcon from '@mui/icons-material/Block';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import { Button } from '@mui/material';
import { useState } from 'react';
import { Confirm, useNotify, useRecordContext, useRefresh, useUpdate } from 'react-admin';

import { useCanWrite } from '../common/use-role';

/** Enable or disable an FTP user; disabling closes the user's sessions, so it asks first. */
export function ToggleEnabledButton() {
  const record = useRecordContext();
  const canWrite = useCanWrite('ftp-users');
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [update, { isPending }] = useUpdate();
  if (!record || !canWrite) return null;
  const enabled = record.enabled !== false;
  const apply = () =>
    update(
      'ftp-users',
      { id: record.id, data: { enabled: !enabled }, previousData: record },
      {
        mutationMode: 'pessimistic',
        onSuccess: () => {
          notify(`${String(record.username)} ${enabled ? 'disabled' : 'enabled'}`, {
            type: 'success',
          });
          setOpen(false);
          refresh();
        },
        onError: (e) => {
          notify(e instanceof Error ? e.message : String(e), { type: 'error' });
          setOpen(false);
        },
      },
    );
  return (
    <>
      <Button
        size="small"
        color={enabled ? 'warning' : 'success'}
        startIcon={enabled ? <BlockIcon /> : <CheckCircleIcon />}
        onClick={() => (enabled ? setOpen(true) : void apply())}
        disabled={isPending}
      >
        {enabled ? 'Disable' : 'Enable'}
      </Button>
      <Confirm
        isOpen={open}
        loading={isPending}
        title={`Disable ${String(record.username)}?`}
        content="The user can no longer log in and every open FTP session of this user is closed."
        confirm="Disable"
        onConfirm={() => void apply()}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
