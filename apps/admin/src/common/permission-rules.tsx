import { Box, Chip, Stack, Typography } from '@mui/material';
import { ALL_FTP_PERMISSIONS, FtpPermission, type PermissionRule } from '@wharf/contracts';
import {
  ArrayInput,
  CheckboxGroupInput,
  type FieldProps,
  required,
  SimpleFormIterator,
  TextInput,
  useFieldValue,
} from 'react-admin';

const PERMISSION_CHOICES = ALL_FTP_PERMISSIONS.map((p) => ({ id: p, name: p }));

/** What a new FTP user gets unless the admin changes it (issue 2: everything on "/"). */
export const DEFAULT_RULES: PermissionRule[] = [{ path: '/', allow: [...ALL_FTP_PERMISSIONS] }];

const absolutePath = (value: unknown) =>
  typeof value === 'string' && value.length > 0 && !value.startsWith('/')
    ? 'Start the path with "/" (it is relative to the home directory)'
    : undefined;

/**
 * Path-prefix rules: the longest matching prefix wins, so "/" sets the default
 * and deeper paths narrow or widen it.
 */
export function PermissionRulesInput({ source = 'permissions' }: { source?: string }) {
  return (
    <Box sx={{ width: '100%' }}>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        The longest matching path prefix decides. Paths are relative to the home directory.
      </Typography>
      <ArrayInput source={source} label="Permission rules">
        <SimpleFormIterator inline disableReordering>
          <TextInput
            source="path"
            label="Path prefix"
            validate={[required(), absolutePath]}
            defaultValue="/"
            sx={{ width: 200 }}
          />
          <CheckboxGroupInput
            source="allow"
            label="Allowed operations"
            choices={PERMISSION_CHOICES}
            defaultValue={[FtpPermission.List, FtpPermission.Download]}
          />
        </SimpleFormIterator>
      </ArrayInput>
    </Box>
  );
}

/** The rules as chips, for show pages. */
export function PermissionRulesField(props: FieldProps) {
  const rules = (useFieldValue({ ...props, source: props.source ?? 'permissions' }) ??
    []) as PermissionRule[];
  if (!rules.length) {
    return (
      <Typography variant="body2" color="text.secondary">
        No rules of its own
      </Typography>
    );
  }
  return (
    <Stack spacing={1}>
      {rules.map((rule) => (
        <Box
          key={rule.path}
          sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}
        >
          <Typography variant="body2" sx={{ fontFamily: 'monospace', minWidth: 160 }}>
            {rule.path}
          </Typography>
          {ALL_FTP_PERMISSIONS.map((p) => (
            <Chip
              key={p}
              label={p}
              size="small"
              color={rule.allow.includes(p) ? 'success' : 'default'}
              variant={rule.allow.includes(p) ? 'filled' : 'outlined'}
              sx={
                rule.allow.includes(p)
                  ? undefined
                  : { opacity: 0.5, textDecoration: 'line-through' }
              }
            />
          ))}
        </Box>
      ))}
    </Stack>
  );
}
