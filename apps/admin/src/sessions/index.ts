import SensorsIcon from '@mui/icons-material/Sensors';
import { lazy } from 'react';

export default {
  list: lazy(() => import('./session-list')),
  icon: SensorsIcon,
};
