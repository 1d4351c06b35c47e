import DnsIcon from '@mui/icons-material/Dns';
import { lazy } from 'react';

export default {
  list: lazy(() => import('./server-list')),
  edit: lazy(() => import('./server-edit')),
  create: lazy(() => import('./server-create')),
  show: lazy(() => import('./server-show')),
  icon: DnsIcon,
  recordRepresentation: 'name',
};
