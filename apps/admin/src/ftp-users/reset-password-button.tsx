import LockResetIcon from '@mui/icons-material/LockReset';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@mui/material';
import { useState } from 'react';
import { HttpError, useDataProvider, useNotify, useRecordContext } from 'react-admin';

import { useCanWrite } from '../common/use-role';
import type { WharfDataProvider } from '../providers/data-provider';

/** `POST /ftp-users/:id/password` from a dialog; the api's field error shows under the input. */
export function ResetPasswordButton() {
  const record = useRecordContext();
  const dataProvider = useDataProvider<WharfDataProvider>();
  const notify = useNotify();
  const canWrite = useCanWrite('ftp-users');
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!record || !canWrite) return null;

  const close = () => {
    setOpen(false);
    setPassword('');
    setConfirm('');
    setError(null);
  };
  const mismatch = confirm !== '' && confirm !== password;
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await dataProvider.resetPassword(record.id, password);
      notify(`Password of ${String(record.username)} changed`, { type: 'success' });
      close();
    } catch (e) {
      const fieldError =
        e instanceof HttpError
          ? (e.body as { errors?: Record<string, string> })?.errors?.password
          : undefined;
      setError(fieldError ?? (e instanceof Error ? e.message : String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button size="small" startIcon={<LockResetIcon />} onClick={() => setOpen(true)}>
        Reset password
      </Button>
      <Dialog open={open} onClose={close} maxWidth="xs" fullWidth>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <DialogTitle>Reset password of {String(record.username)}</DialogTitle>
          <DialogContent>
            <DialogContentText sx={{ mb: 2 }}>
              The old password stops working at once. Sessions already open stay open.
            </DialogContentText>
            <TextField
              autoFocus
              fullWidth
              type="password"
              label="New password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={!!error}
              helperText={error ?? 'At least 8 characters'}
              margin="dense"
            />
            <TextField
              fullWidth
              type="password"
              label="Repeat the password"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              error={mismatch}
              helperText={mismatch ? 'The passwords differ' : ' '}
              margin="dense"
            />
          </DialogContent>
          <DialogActions>
            <Button onClick={close}>Cancel</Button>
            <Button
              type="submit"
              variant="contained"
              disabled={busy || password.length < 8 || password !== confirm}
            >
              Set password
            </Button>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
