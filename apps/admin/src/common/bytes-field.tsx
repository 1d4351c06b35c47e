import { Tooltip, Typography } from '@mui/material';
import { type FieldProps, useFieldValue } from 'react-admin';

import { formatBytes, formatNumber } from './format';

/** Human bytes ("1.5 GiB"), the exact count on hover. `rate` appends "/s". */
export function BytesField(props: FieldProps & { rate?: boolean; emptyText?: string }) {
  const value = useFieldValue(props) as number | null | undefined;
  if (value == null) {
    return (
      <Typography component="span" variant="body2" color="text.secondary">
        {props.emptyText ?? '—'}
      </Typography>
    );
  }
  return (
    <Tooltip title={`${formatNumber(value)} bytes${props.rate ? ' per second' : ''}`}>
      <Typography component="span" variant="body2" sx={{ whiteSpace: 'nowrap' }}>
        {formatBytes(value)}
        {props.rate ? '/s' : ''}
      </Typography>
    </Tooltip>
  );
}
