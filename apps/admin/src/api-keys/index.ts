import KeyIcon from '@mui/icons-material/Key';
import { lazy } from 'react';

/** No edit: a key's name and role are fixed; revoke and create another. */
export default {
  list: lazy(() => import('./api-key-list')),
  create: lazy(() => import('./api-key-create')),
  icon: KeyIcon,
  recordRepresentation: 'name',
};
