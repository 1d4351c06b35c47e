import { Typography } from '@mui/material';
import {
  AutocompleteArrayInput,
  BooleanInput,
  FormDataConsumer,
  maxValue,
  minValue,
  NumberInput,
  ReferenceArrayInput,
  required,
  SelectInput,
  TabbedForm,
  TextInput,
} from 'react-admin';

import { BytesInput } from '../common/bytes-input';
import { CertificateInfoPanel } from './certificate-info';
import { PemInput } from './pem-input';

export const TLS_MODE_CHOICES = [
  { id: 'none', name: 'None (plain FTP only)' },
  { id: 'explicit', name: 'Explicit (AUTH TLS on the control port)' },
  { id: 'implicit', name: 'Implicit (TLS from the first byte, usually port 990)' },
];

const port = [minValue(1), maxValue(65535)];
const nullableInt = (v: string | number | null | undefined) =>
  v === '' || v == null ? null : Number(v);

const passiveRange = (
  _value: unknown,
  values: { passivePortMin?: number | null; passivePortMax?: number | null },
) =>
  values.passivePortMin != null &&
  values.passivePortMax != null &&
  values.passivePortMax < values.passivePortMin
    ? 'The range ends before it starts'
    : undefined;

export const SERVER_DEFAULTS = {
  bindAddress: '0.0.0.0',
  port: 2121,
  tlsMode: 'explicit',
  generateSelfSigned: true,
  requireTls: false,
  requireTlsSessionReuse: true,
  passivePortMin: 30000,
  passivePortMax: 30099,
  loginTimeoutS: 30,
  idleTimeoutS: 300,
  fsyncUploads: true,
  uploadSha256: true,
  enabled: true,
  workerIds: [],
};

export function ServerForm({ mode }: { mode: 'create' | 'edit' }) {
  return (
    <TabbedForm
      defaultValues={mode === 'create' ? SERVER_DEFAULTS : undefined}
      warnWhenUnsavedChanges
    >
      <TabbedForm.Tab label="Listener">
        <TextInput source="name" validate={required()} sx={{ width: 320 }} />
        <BooleanInput
          source="enabled"
          helperText="A disabled server stops listening on every worker."
        />
        <TextInput
          source="bindAddress"
          label="Bind address"
          validate={required()}
          sx={{ width: 240 }}
        />
        <NumberInput source="port" validate={[required(), ...port]} sx={{ width: 160 }} />
        <TextInput
          source="publicHost"
          label="Public address for PASV"
          helperText="The address clients reach behind NAT; empty: the worker's own address"
          sx={{ width: 360 }}
        />
        <NumberInput
          source="passivePortMin"
          label="Passive ports from"
          validate={[required(), ...port]}
          parse={nullableInt}
          sx={{ width: 180 }}
        />
        <NumberInput
          source="passivePortMax"
          label="Passive ports to"
          validate={[required(), ...port, passiveRange]}
          parse={nullableInt}
          sx={{ width: 180 }}
        />
        <TextInput
          source="banner"
          multiline
          sx={{ width: 520 }}
          helperText="Sent in the 220 greeting"
        />
        <ReferenceArrayInput source="workerIds" reference="workers">
          <AutocompleteArrayInput
            label="Workers running this server"
            optionText="hostname"
            sx={{ minWidth: 420 }}
          />
        </ReferenceArrayInput>
      </TabbedForm.Tab>
      <TabbedForm.Tab label="TLS" path="tls">
        {mode === 'edit' ? <CertificateInfoPanel /> : null}
        <SelectInput
          source="tlsMode"
          label="TLS mode"
          choices={TLS_MODE_CHOICES}
          validate={required()}
          sx={{ width: 420 }}
        />
        <BooleanInput source="requireTls" label="Require TLS for every login and transfer" />
        <BooleanInput
          source="requireTlsSessionReuse"
          label="Require TLS session reuse on data connections"
          helperText="Refuses data connections that do not resume the control connection's TLS session (522)"
        />
        <FormDataConsumer<{ tlsMode?: string; generateSelfSigned?: boolean }>>
          {({ formData }) =>
            formData.tlsMode && formData.tlsMode !== 'none' ? (
              <>
                <BooleanInput
                  source="generateSelfSigned"
                  label="Generate a self-signed certificate"
                  helperText="Clients must accept it explicitly; upload a real one for production"
                />
                {!formData.generateSelfSigned ? (
                  <>
                    <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
                      {mode === 'edit'
                        ? 'Leave both empty to keep the installed certificate.'
                        : 'The certificate (with its chain) and the matching private key.'}
                    </Typography>
                    <PemInput
                      source="certPem"
                      kind="certificate"
                      label="Certificate (PEM)"
                      helperText="Leaf certificate first, then intermediates"
                    />
                    <PemInput
                      source="keyPem"
                      kind="key"
                      label="Private key (PEM)"
                      helperText="Unencrypted; stored on the server, never shown again"
                    />
                  </>
                ) : null}
              </>
            ) : null
          }
        </FormDataConsumer>
      </TabbedForm.Tab>
      <TabbedForm.Tab label="Limits & timeouts" path="limits">
        <NumberInput
          source="loginTimeoutS"
          label="Login timeout (s)"
          validate={required()}
          min={1}
          parse={nullableInt}
          sx={{ width: 200 }}
        />
        <NumberInput
          source="idleTimeoutS"
          label="Idle timeout (s)"
          validate={required()}
          min={1}
          parse={nullableInt}
          sx={{ width: 200 }}
        />
        <NumberInput
          source="maxConnections"
          label="Max connections"
          min={0}
          parse={nullableInt}
          helperText="Empty: unlimited"
          sx={{ width: 200 }}
        />
        <NumberInput
          source="maxConnectionsPerIp"
          label="Max connections per IP"
          min={0}
          parse={nullableInt}
          helperText="Empty: unlimited"
          sx={{ width: 200 }}
        />
        <BytesInput
          source="uploadBandwidth"
          label="Upload bandwidth"
          rate
          helperText="All uploads through this server on one worker together. Empty: unlimited"
        />
        <BytesInput
          source="downloadBandwidth"
          label="Download bandwidth"
          rate
          helperText="All downloads through this server on one worker together. Empty: unlimited"
        />
        <BooleanInput
          source="fsyncUploads"
          label="fsync uploads"
          helperText="On: every upload is on disk before the client hears 226. Off: several times faster for many small files, but a crash of the machine can lose recent uploads"
        />
        <BooleanInput
          source="uploadSha256"
          label="SHA-256 of uploads"
          helperText="On: each upload's transfer-log row has its SHA-256. Off: no checksum, and about 0.6 s less CPU per GiB uploaded (faster uploads on a machine with few cores)"
        />
      </TabbedForm.Tab>
    </TabbedForm>
  );
}
