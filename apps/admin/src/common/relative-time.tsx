import { Tooltip } from '@mui/material';
import { useEffect, useState } from 'react';
import { type FieldProps, useFieldValue } from 'react-admin';

import { formatExact, formatRelative, toDate } from './format';

/** Re-renders every 30 s so "2 minutes ago" does not go stale on a page left open. */
function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function RelativeTime({ value, emptyText = '—' }: { value: unknown; emptyText?: string }) {
  const now = useNow();
  const date = toDate(value);
  if (!date) return <span>{emptyText}</span>;
  return (
    <Tooltip title={formatExact(date)} placement="top" arrow>
      <time dateTime={date.toISOString()} style={{ whiteSpace: 'nowrap' }}>
        {formatRelative(date, now)}
      </time>
    </Tooltip>
  );
}

/** A react-admin field: relative time, exact time on hover. */
export function RelativeTimeField(props: FieldProps & { emptyText?: string }) {
  const value = useFieldValue(props);
  return <RelativeTime value={value} emptyText={props.emptyText} />;
}
