import PeopleIcon from '@mui/icons-material/People';
import { lazy } from 'react';

/** Each page is its own chunk: the first load only carries the shell. */
export default {
  list: lazy(() => import('./ftp-user-list')),
  edit: lazy(() => import('./ftp-user-edit')),
  create: lazy(() => import('./ftp-user-create')),
  show: lazy(() => import('./ftp-user-show')),
  icon: PeopleIcon,
  recordRepresentation: 'username',
};

export const BulkImportPage = lazy(() => import('./bulk-import.page'));
