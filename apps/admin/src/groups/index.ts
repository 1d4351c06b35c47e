import GroupsIcon from '@mui/icons-material/Groups';
import { lazy } from 'react';

export default {
  list: lazy(() => import('./group-list')),
  edit: lazy(() => import('./group-edit')),
  create: lazy(() => import('./group-create')),
  show: lazy(() => import('./group-show')),
  icon: GroupsIcon,
  recordRepresentation: 'name',
};
