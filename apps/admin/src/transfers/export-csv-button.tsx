import DownloadIcon from '@mui/icons-material/Download';
import { Button } from '@mui/material';
import { useDataProvider, useListContext } from 'react-admin';

import type { WharfDataProvider } from '../providers/data-provider';

/**
 * A plain link to `GET /transfers/export.csv` with the list's current filter:
 * the api streams the file and the browser saves it without holding it in
 * memory. A link cannot carry an Authorization header, so the token rides in
 * `access_token`.
 */
export function ExportCsvButton() {
  const { filterValues, sort } = useListContext();
  const dataProvider = useDataProvider<WharfDataProvider>();
  const href = dataProvider.transferExportUrl({
    ...filterValues,
    _sort: sort?.field,
    _order: sort?.order,
  });
  return (
    <Button size="small" startIcon={<DownloadIcon />} href={href} download data-testid="export-csv">
      Export CSV
    </Button>
  );
}
