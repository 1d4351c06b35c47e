import HistoryIcon from '@mui/icons-material/History';
import { lazy } from 'react';

/** Read-only: the api writes one row per admin change. */
export default {
  list: lazy(() => import('./audit-list')),
  show: lazy(() => import('./audit-show')),
  icon: HistoryIcon,
};
