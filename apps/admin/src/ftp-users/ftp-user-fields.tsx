import { Chip } from '@mui/material';
import { useRecordContext } from 'react-admin';

import { QuotaBar } from '../common/quota-bar';
import { type FtpUserRecord, type FtpUserStatus, statusOf } from './ftp-user.types';

const STATUS_COLOR: Record<FtpUserStatus, 'success' | 'default' | 'warning'> = {
  active: 'success',
  disabled: 'default',
  expired: 'warning',
};

export function FtpUserStatusField(_props: {
  label?: string;
  sortable?: boolean;
  sortBy?: string;
}) {
  const record = useRecordContext<FtpUserRecord>();
  if (!record) return null;
  const status = statusOf(record);
  return (
    <Chip
      size="small"
      label={status}
      color={STATUS_COLOR[status]}
      data-testid={`status-${status}`}
    />
  );
}

export function FtpUserQuotaField(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext<FtpUserRecord>();
  if (!record) return null;
  return <QuotaBar used={record.usage?.usedBytes ?? null} limit={record.quotaBytes} />;
}

export function FtpUserFilesField(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext<FtpUserRecord>();
  if (!record) return null;
  return (
    <QuotaBar
      used={record.usage?.usedFiles ?? null}
      limit={record.quotaFiles}
      kind="count"
      width={110}
    />
  );
}
