import LockIcon from '@mui/icons-material/Lock';
// Path imports: the @mui/material barrel would make every MUI module reachable
// from this chunk, and the bundler would then load them all with the login page.
import Alert from '@mui/material/Alert';
import Avatar from '@mui/material/Avatar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CircularProgress from '@mui/material/CircularProgress';
import CssBaseline from '@mui/material/CssBaseline';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import OutlinedInput from '@mui/material/OutlinedInput';
import Stack from '@mui/material/Stack';
import { createTheme, ThemeProvider } from '@mui/material/styles';
import { type FormEvent, useMemo, useState } from 'react';

import { PALETTES } from '../palette';

export interface Credentials {
  username: string;
  password: string;
}

/** The theme the admin last chose in the app (react-admin keeps it as `RaStore.theme`), else the system's. */
function preferredMode(): 'light' | 'dark' {
  try {
    const stored = JSON.parse(globalThis.localStorage?.getItem('RaStore.theme') ?? 'null');
    if (stored === 'light' || stored === 'dark') return stored;
  } catch {
    // An unreadable preference falls back to the system's.
  }
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** OutlinedInput rather than TextField, which would bring Select, Menu and Popover along. */
function Field(props: {
  name: string;
  label: string;
  type?: string;
  autoComplete: string;
  autoFocus?: boolean;
  busy: boolean;
}) {
  const id = `login-${props.name}`;
  return (
    <FormControl required fullWidth disabled={props.busy}>
      <InputLabel htmlFor={id}>{props.label}</InputLabel>
      <OutlinedInput
        id={id}
        name={props.name}
        label={props.label}
        type={props.type}
        autoComplete={props.autoComplete}
        autoFocus={props.autoFocus}
      />
    </FormControl>
  );
}

/**
 * The login form, without react-admin: it is what the first visit loads, so
 * it carries only React and a few MUI components; the admin shell (react-admin,
 * router, react-query, every list and form) is fetched after signing in.
 */
export default function LoginPage({
  onLogin,
}: {
  onLogin(credentials: Credentials): Promise<unknown>;
}) {
  const theme = useMemo(() => {
    const mode = preferredMode();
    return createTheme({ palette: { mode, ...PALETTES[mode] } });
  }, []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get('username') ?? '').trim();
    const password = String(form.get('password') ?? '');
    if (!username || !password) {
      setError('Enter your username and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onLogin({ username, password });
    } catch (e) {
      setError(e instanceof Error && e.message ? e.message : 'Sign-in failed');
      setBusy(false);
    }
  };

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <Box
        component="main"
        sx={{
          minHeight: '100vh',
          display: 'flex',
          flexDirection: 'column',
          alignItems: 'center',
          backgroundImage:
            'radial-gradient(circle at 50% 14em, #313264 0%, #00023b 60%, #00023b 100%)',
        }}
      >
        <Card sx={{ minWidth: 300, maxWidth: 360, mt: '6em' }}>
          <Box sx={{ display: 'flex', justifyContent: 'center', m: 2 }}>
            <Avatar sx={{ bgcolor: 'secondary.main' }}>
              <LockIcon />
            </Avatar>
          </Box>
          <CardContent component="form" noValidate onSubmit={(e) => void submit(e)}>
            <Stack spacing={2}>
              <Field
                name="username"
                label="Username"
                autoComplete="username"
                autoFocus
                busy={busy}
              />
              <Field
                name="password"
                label="Password"
                type="password"
                autoComplete="current-password"
                busy={busy}
              />
              {error ? (
                <Alert severity="error" role="alert">
                  {error}
                </Alert>
              ) : null}
              <Button
                type="submit"
                variant="contained"
                fullWidth
                disabled={busy}
                startIcon={busy ? <CircularProgress size={18} color="inherit" /> : null}
              >
                Sign in
              </Button>
            </Stack>
          </CardContent>
        </Card>
      </Box>
    </ThemeProvider>
  );
}
