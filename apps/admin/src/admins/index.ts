import AdminPanelSettingsIcon from '@mui/icons-material/AdminPanelSettings';
import { lazy } from 'react';

/** Superadmin only: canAccess hides the menu entry and guards the routes for other roles. */
export default {
  list: lazy(() => import('./admin-list')),
  edit: lazy(() => import('./admin-edit')),
  create: lazy(() => import('./admin-create')),
  icon: AdminPanelSettingsIcon,
  recordRepresentation: 'username',
};
