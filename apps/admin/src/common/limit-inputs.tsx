import { Box, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import {
  ArrayInput,
  BooleanInput,
  NullableBooleanInput,
  NumberInput,
  SelectInput,
  SimpleFormIterator,
  TextInput,
} from 'react-admin';

import { BytesInput } from './bytes-input';

const IP_OR_CIDR =
  /^((25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?|[0-9a-fA-F:]+(\/(12[0-8]|1[01]\d|\d?\d))?)$/;

const ipOrCidr = (value: unknown) =>
  typeof value === 'string' && value !== '' && !IP_OR_CIDR.test(value.trim())
    ? 'Not an IP address or CIDR (e.g. 10.0.0.0/8)'
    : undefined;

/** Empty number inputs mean "no value of its own", not zero. */
const toNullableInt = (v: string | number | null | undefined) =>
  v === '' || v == null ? null : Number(v);

export const QUOTA_PERIOD_CHOICES = [
  { id: 'day', name: 'per day' },
  { id: 'month', name: 'per month' },
];

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box sx={{ mb: 2, width: '100%' }}>
      <Typography variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
        {title}
      </Typography>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 2 }}>{children}</Box>
    </Box>
  );
}

/**
 * Quotas, bandwidth, sessions and network settings shared by FTP users and
 * groups. On a user, an empty field inherits the group's value; on a group it
 * means no default.
 */
export function LimitInputs({ inheritHint }: { inheritHint: string }) {
  return (
    <Box sx={{ width: '100%' }}>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {inheritHint}
      </Typography>
      <Section title="Storage quota">
        <BytesInput source="quotaBytes" label="Storage quota" />
        <NumberInput
          source="quotaFiles"
          label="Max files"
          min={0}
          step={1}
          parse={toNullableInt}
          sx={{ width: 200 }}
        />
      </Section>
      <Section title="Transfer quota">
        <BytesInput source="uploadQuotaBytes" label="Upload quota" />
        <BytesInput source="downloadQuotaBytes" label="Download quota" />
        <SelectInput
          source="quotaPeriod"
          label="Period"
          choices={QUOTA_PERIOD_CHOICES}
          emptyText="(inherit)"
          sx={{ width: 160 }}
        />
      </Section>
      <Section title="Bandwidth">
        <BytesInput source="uploadBandwidth" label="Upload bandwidth" rate />
        <BytesInput source="downloadBandwidth" label="Download bandwidth" rate />
      </Section>
      <Section title="Sessions">
        <NumberInput
          source="maxSessions"
          label="Max concurrent sessions"
          min={0}
          step={1}
          parse={toNullableInt}
          sx={{ width: 220 }}
        />
      </Section>
    </Box>
  );
}

export function NetworkInputs({ nullableTls }: { nullableTls: boolean }) {
  return (
    <Box sx={{ width: '100%' }}>
      <Section title="Client addresses">
        <ArrayInput
          source="allowedIps"
          label="IP allow list (empty: any address)"
          helperText="IPv4/IPv6 addresses or CIDR ranges"
        >
          <SimpleFormIterator inline disableReordering>
            <TextInput source="" label="IP or CIDR" validate={ipOrCidr} sx={{ width: 260 }} />
          </SimpleFormIterator>
        </ArrayInput>
      </Section>
      <Section title="Encryption">
        {nullableTls ? (
          <NullableBooleanInput
            source="requireTls"
            label="Require TLS (FTPS)"
            nullLabel="Inherit"
            sx={{ width: 260 }}
          />
        ) : (
          <BooleanInput source="requireTls" label="Require TLS (FTPS)" />
        )}
      </Section>
    </Box>
  );
}
