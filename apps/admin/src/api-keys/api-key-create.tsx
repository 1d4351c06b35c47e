import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  Tooltip,
} from '@mui/material';
import { ADMIN_ROLES, AdminRole } from '@wharf/contracts';
import { useState } from 'react';
import {
  Create,
  type RaRecord,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
  useRedirect,
} from 'react-admin';

import { useRole } from '../common/use-role';

/** The secret exists in the browser only inside this dialog: the api stores a hash. */
function SecretDialog({ secret, onClose }: { secret: string; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(secret);
    setCopied(true);
  };
  return (
    // No onClose: neither Escape nor a click outside may lose the only copy of the secret.
    <Dialog open maxWidth="sm" fullWidth>
      <DialogTitle>Copy the new API key now</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          This is the only time the key is shown. Store it in your secret manager; if it is lost,
          revoke it and create another.
        </Alert>
        <Box
          sx={{
            display: 'flex',
            alignItems: 'center',
            gap: 1,
            p: 1.5,
            borderRadius: 1,
            bgcolor: 'action.hover',
            fontFamily: 'monospace',
            wordBreak: 'break-all',
          }}
        >
          <Box sx={{ flex: 1 }} data-testid="api-key-secret">
            {secret}
          </Box>
          <Tooltip title={copied ? 'Copied' : 'Copy'}>
            <IconButton onClick={() => void copy().catch(() => setCopied(false))} aria-label="copy">
              <ContentCopyIcon />
            </IconButton>
          </Tooltip>
        </Box>
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={onClose}>
          I have stored it
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export default function ApiKeyCreate() {
  const redirect = useRedirect();
  const role = useRole();
  const [secret, setSecret] = useState<string | null>(null);
  // A key never gets more power than the admin creating it.
  const allowed = ADMIN_ROLES.slice(role ? ADMIN_ROLES.indexOf(role) : ADMIN_ROLES.length - 1);
  return (
    <>
      <Create
        redirect={false}
        title="New API key"
        mutationOptions={{
          onSuccess: (data: RaRecord) => {
            const created = data as RaRecord & { secret?: string; key?: string };
            setSecret(created.secret ?? created.key ?? '(the api returned no secret)');
          },
        }}
      >
        <SimpleForm defaultValues={{ role: AdminRole.Auditor }}>
          <TextInput
            source="name"
            validate={required()}
            helperText="What uses this key, e.g. provisioning-script"
            sx={{ width: 360 }}
          />
          <SelectInput
            source="role"
            choices={allowed.map((r) => ({ id: r, name: r }))}
            validate={required()}
            sx={{ width: 240 }}
          />
        </SimpleForm>
      </Create>
      {secret ? (
        <SecretDialog
          secret={secret}
          onClose={() => {
            setSecret(null);
            redirect('list', 'api-keys');
          }}
        />
      ) : null}
    </>
  );
}
