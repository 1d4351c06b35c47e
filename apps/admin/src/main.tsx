import { lazy, StrictMode, Suspense, useState } from 'react';
import { createRoot } from 'react-dom/client';

import { readSession } from './providers/session.store';
import { signIn } from './providers/sign-in';

// Two chunks: the first visit loads the login form only; the admin shell
// (react-admin, MUI's data grid and forms, react-query, the router) comes after
// signing in, or at once for an admin whose session is still stored.
const App = lazy(() => import('./App').then((m) => ({ default: m.App })));
const LoginPage = lazy(() => import('./login/login.page'));

function Root() {
  const [signedIn, setSignedIn] = useState(() => readSession() !== null);
  const login = async (credentials: { username: string; password: string }) => {
    await signIn(credentials);
    // Arriving at #/login (after a logout) means "the dashboard" once signed in.
    if (/^#\/login/.test(window.location.hash)) window.location.hash = '#/';
    setSignedIn(true);
  };
  return <Suspense fallback={null}>{signedIn ? <App /> : <LoginPage onLogin={login} />}</Suspense>;
}

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
