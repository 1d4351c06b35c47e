import { lazy } from 'react';
import { useLogin } from 'react-admin';

import type { Credentials } from './login.page';

const LoginPage = lazy(() => import('./login.page'));

/** The same form inside the admin shell (a session that ended): react-admin's useLogin redirects back. */
export function AppLoginPage() {
  const login = useLogin();
  return <LoginPage onLogin={(credentials: Credentials) => login(credentials)} />;
}
