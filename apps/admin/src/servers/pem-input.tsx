import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Box, Button, FormHelperText, TextField } from '@mui/material';
import type { ChangeEvent } from 'react';
import { useInput } from 'react-admin';

const PEM = /-----BEGIN [A-Z0-9 ]+-----[\s\S]+-----END [A-Z0-9 ]+-----/;

/**
 * A PEM block, pasted or read from a file (the file's text goes into the form;
 * nothing is uploaded until Save). The api validates the pair and its message
 * appears under the field.
 */
export function PemInput({
  source,
  label,
  helperText,
  kind,
}: {
  source: string;
  label: string;
  helperText: string;
  kind: 'certificate' | 'key';
}) {
  const { field, fieldState } = useInput<string | null>({
    source,
    defaultValue: '',
    validate: (value: unknown) =>
      typeof value === 'string' && value.trim() !== '' && !PEM.test(value)
        ? `This is not PEM text (expected -----BEGIN ${kind === 'key' ? 'PRIVATE KEY' : 'CERTIFICATE'}-----)`
        : undefined,
  });
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    field.onChange(await file.text());
    event.target.value = '';
  };
  const error = fieldState.error?.message;
  return (
    <Box sx={{ mb: 2, width: '100%', maxWidth: 720 }}>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', mb: 1 }}>
        <Button component="label" variant="outlined" size="small" startIcon={<UploadFileIcon />}>
          Load {kind} file
          <input
            hidden
            type="file"
            accept=".pem,.crt,.cer,.key,application/x-pem-file"
            data-testid={`pem-file-${source}`}
            onChange={(e) => void onFile(e)}
          />
        </Button>
        {field.value ? (
          <Button size="small" onClick={() => field.onChange('')}>
            Clear
          </Button>
        ) : null}
      </Box>
      <TextField
        name={field.name}
        inputRef={field.ref}
        value={field.value ?? ''}
        onChange={(e) => field.onChange(e.target.value)}
        onBlur={field.onBlur}
        label={label}
        multiline
        minRows={3}
        maxRows={10}
        fullWidth
        error={!!error}
        placeholder={`-----BEGIN ${kind === 'key' ? 'PRIVATE KEY' : 'CERTIFICATE'}-----`}
        slotProps={{
          htmlInput: { style: { fontFamily: 'monospace', fontSize: 12 }, spellCheck: false },
        }}
      />
      <FormHelperText error={!!error}>{error ?? helperText}</FormHelperText>
    </Box>
  );
}
