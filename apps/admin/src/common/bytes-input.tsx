import { Box, FormHelperText, InputAdornment, MenuItem, TextField } from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import { FieldTitle, useInput } from 'react-admin';

import { formatBytes, formatNumber } from './format';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** The largest unit that shows the value without a fraction. */
function bestUnit(bytes: number | null | undefined): number {
  if (!bytes) return 2;
  let unit = 0;
  while (unit < UNITS.length - 1 && bytes % 1024 ** (unit + 1) === 0) unit++;
  return unit;
}

function toText(bytes: number | null | undefined, unit: number): string {
  if (bytes == null) return '';
  return String(Number((bytes / 1024 ** unit).toFixed(3)));
}

/**
 * A byte count typed as "1.5" + "GiB" and stored as a number of bytes. Empty
 * means no value of its own (null): unlimited, or inherited from a group.
 */
export function BytesInput({
  source,
  label,
  helperText,
  rate = false,
}: {
  source: string;
  label?: string;
  helperText?: string;
  rate?: boolean;
}) {
  const { field, fieldState, isRequired } = useInput<number | null>({
    source,
    defaultValue: null,
  });
  const value = (field.value as number | null | undefined) ?? null;
  const [unit, setUnit] = useState(() => bestUnit(value));
  const [text, setText] = useState(() => toText(value, unit));
  const lastEmitted = useRef<number | null>(value);

  // A form reset (or the record loading) changes the value from outside.
  useEffect(() => {
    if (value !== lastEmitted.current) {
      const u = bestUnit(value);
      setUnit(u);
      setText(toText(value, u));
      lastEmitted.current = value;
    }
  }, [value]);

  const emit = (nextText: string, nextUnit: number) => {
    const trimmed = nextText.trim();
    const n = trimmed === '' ? null : Number(trimmed);
    const bytes = n == null || Number.isNaN(n) ? null : Math.round(n * 1024 ** nextUnit);
    lastEmitted.current = bytes;
    field.onChange(bytes);
  };

  const error = fieldState.error?.message;
  return (
    <Box sx={{ mb: 1 }}>
      <TextField
        name={field.name}
        inputRef={field.ref}
        label={<FieldTitle label={label} source={source} isRequired={isRequired} />}
        value={text}
        onBlur={field.onBlur}
        onChange={(e) => {
          setText(e.target.value);
          emit(e.target.value, unit);
        }}
        error={!!error}
        type="number"
        size="small"
        sx={{ width: 260 }}
        slotProps={{
          htmlInput: { min: 0, step: 'any', 'data-testid': `bytes-${source}` },
          input: {
            endAdornment: (
              <InputAdornment position="end">
                <TextField
                  select
                  variant="standard"
                  value={unit}
                  onChange={(e) => {
                    const u = Number(e.target.value);
                    setUnit(u);
                    emit(text, u);
                  }}
                  slotProps={{
                    input: { disableUnderline: true },
                    htmlInput: { 'aria-label': 'unit' },
                  }}
                >
                  {UNITS.map((u, i) => (
                    <MenuItem key={u} value={i}>
                      {u}
                      {rate ? '/s' : ''}
                    </MenuItem>
                  ))}
                </TextField>
              </InputAdornment>
            ),
          },
        }}
      />
      <FormHelperText error={!!error} sx={{ mx: 1.75 }}>
        {error ??
          (value != null
            ? `${formatNumber(value)} bytes${rate ? '/s' : ''} = ${formatBytes(value)}${rate ? '/s' : ''}`
            : (helperText ?? 'Empty: no limit of its own'))}
      </FormHelperText>
    </Box>
  );
}
