import MemoryIcon from '@mui/icons-material/Memory';
import { lazy } from 'react';

/** Read-only: workers register themselves. */
export default {
  list: lazy(() => import('./worker-list')),
  show: lazy(() => import('./worker-show')),
  icon: MemoryIcon,
  recordRepresentation: 'hostname',
};
