import { Box, Typography } from '@mui/material';
import type { ReactNode } from 'react';

/** What a list shows when it has no rows, instead of react-admin's generic "No results". */
export function EmptyState({
  icon,
  title,
  hint,
  action,
}: {
  icon?: ReactNode;
  title: string;
  hint?: string;
  action?: ReactNode;
}) {
  return (
    <Box
      sx={{ textAlign: 'center', py: 8, px: 2, width: '100%', color: 'text.secondary' }}
      data-testid="empty-state"
    >
      {icon ? <Box sx={{ '& svg': { fontSize: 64, opacity: 0.4 } }}>{icon}</Box> : null}
      <Typography variant="h6" gutterBottom>
        {title}
      </Typography>
      {hint ? <Typography variant="body2">{hint}</Typography> : null}
      {action ? <Box sx={{ mt: 2 }}>{action}</Box> : null}
    </Box>
  );
}
