import {
  BooleanField,
  ChipField,
  Labeled,
  NumberField,
  ReferenceArrayField,
  Show,
  SimpleShowLayout,
  SingleFieldList,
  TextField,
} from 'react-admin';

import { BytesField } from '../common/bytes-field';
import { CertificateInfoPanel } from './certificate-info';
import { AddressField, TlsModeField } from './server-fields';
import { ServerStatusPanel } from './server-status-panel';

export default function ServerShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="name" />
        <AddressField label="Listens on" />
        <BooleanField source="enabled" />
        <TlsModeField label="TLS" />
        <BooleanField source="requireTlsSessionReuse" label="TLS session reuse required" />
        <CertificateInfoPanel />
        <TextField source="publicHost" label="Public address" emptyText="(worker address)" />
        <NumberField source="passivePortMin" label="Passive ports from" />
        <NumberField source="passivePortMax" label="Passive ports to" />
        <TextField source="banner" emptyText="—" />
        <NumberField source="loginTimeoutS" label="Login timeout (s)" />
        <NumberField source="idleTimeoutS" label="Idle timeout (s)" />
        <NumberField source="maxConnections" label="Max connections" emptyText="unlimited" />
        <NumberField
          source="maxConnectionsPerIp"
          label="Max connections per IP"
          emptyText="unlimited"
        />
        <BytesField
          source="uploadBandwidth"
          label="Upload bandwidth (server)"
          rate
          emptyText="unlimited"
        />
        <BytesField
          source="downloadBandwidth"
          label="Download bandwidth (server)"
          rate
          emptyText="unlimited"
        />
        <BooleanField source="fsyncUploads" label="fsync uploads" />
        <BooleanField source="uploadSha256" label="SHA-256 of uploads" />
        <Labeled label="Status" fullWidth>
          <ServerStatusPanel />
        </Labeled>
        <ReferenceArrayField source="workerIds" reference="workers" label="Assigned workers">
          <SingleFieldList linkType="show">
            <ChipField source="hostname" size="small" />
          </SingleFieldList>
        </ReferenceArrayField>
      </SimpleShowLayout>
    </Show>
  );
}
