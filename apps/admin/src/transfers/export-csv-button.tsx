import DownloadIcon from '@mui/icons-material/Download';
import { Button } from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useListContext, useNotify } from 'react-admin';

import type { WharfDataProvider } from '../providers/data-provider';

/** `GET /transfers/export.csv` with the list's current filter and sort order. */
export function ExportCsvButton() {
  const { filterValues, sort } = useListContext();
  const dataProvider = useDataProvider<WharfDataProvider>();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      await dataProvider.downloadTransfersCsv({ ...filterValues, _order: sort?.order });
    } catch (e) {
      notify(e instanceof Error ? e.message : String(e), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      size="small"
      startIcon={<DownloadIcon />}
      onClick={() => void download()}
      disabled={busy}
      data-testid="export-csv"
    >
      Export CSV
    </Button>
  );
}
