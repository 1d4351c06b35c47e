import { lazy } from 'react';
import { Admin, Resource } from 'react-admin';
import { Route } from 'react-router-dom';

import adminResource from './admins';
import apiKeys from './api-keys';
import audit from './audit';
import ftpUsers, { BulkImportPage } from './ftp-users';
import groups from './groups';
import { AppLoginPage } from './login/app-login.page';
import { authProvider } from './providers/auth-provider';
import { dataProvider } from './providers/data-provider';
import servers from './servers';
import sessions from './sessions';
import { darkTheme, lightTheme } from './theme';
import transfers from './transfers';
import workers from './workers';

const Dashboard = lazy(() => import('./dashboard/dashboard.page'));

export function App() {
  return (
    <Admin
      title="Wharf"
      disableTelemetry
      requireAuth
      authProvider={authProvider}
      loginPage={AppLoginPage}
      dataProvider={dataProvider}
      dashboard={Dashboard}
      theme={lightTheme}
      darkTheme={darkTheme}
    >
      <Resource name="ftp-users" options={{ label: 'FTP users' }} {...ftpUsers}>
        <Route path="import" element={<BulkImportPage />} />
      </Resource>
      <Resource name="groups" options={{ label: 'Groups' }} {...groups} />
      <Resource name="sessions" options={{ label: 'Live sessions' }} {...sessions} />
      <Resource name="transfers" options={{ label: 'Transfer log' }} {...transfers} />
      <Resource name="servers" options={{ label: 'FTP servers' }} {...servers} />
      <Resource name="workers" options={{ label: 'Workers' }} {...workers} />
      <Resource name="audit" options={{ label: 'Admin audit log' }} {...audit} />
      <Resource name="api-keys" options={{ label: 'API keys' }} {...apiKeys} />
      <Resource name="admins" options={{ label: 'Admins' }} {...adminResource} />
    </Admin>
  );
}
