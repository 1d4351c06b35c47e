import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import { lazy } from 'react';

/** Read-only audit trail of FTP operations. */
export default {
  list: lazy(() => import('./transfer-list')),
  show: lazy(() => import('./transfer-show')),
  icon: ReceiptLongIcon,
};
