import DownloadIcon from '@mui/icons-material/Download';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  CircularProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import { type ChangeEvent, useEffect, useMemo, useState } from 'react';
import { HttpError, Title, useDataProvider, useNotify } from 'react-admin';
import { useNavigate } from 'react-router-dom';

import { useCanWrite } from '../common/use-role';
import type { BulkImportError, WharfDataProvider } from '../providers/data-provider';
import { CSV_TEMPLATE, KNOWN_COLUMNS, parseCsv, REQUIRED_COLUMNS } from './csv';

const PREVIEW_ROWS = 200;
/** Typing pauses this long before the api checks the rows again. */
const CHECK_DELAY_MS = 400;

/** The api's verdict on the current text: its dry run, or a real import that failed. */
type Check =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'ok'; wouldCreate: number }
  | { kind: 'failed'; message: string; errors: BulkImportError[] };

function failure(e: unknown): Check {
  return {
    kind: 'failed',
    message: e instanceof Error ? e.message : String(e),
    errors: errorsFrom(e),
  };
}

function errorsFrom(e: unknown): BulkImportError[] {
  if (e instanceof HttpError) {
    const body = e.body as { apiErrors?: BulkImportError[] } | undefined;
    return body?.apiErrors ?? [];
  }
  return [];
}

function downloadTemplate() {
  const url = URL.createObjectURL(new Blob([CSV_TEMPLATE], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'wharf-ftp-users.csv';
  a.click();
  URL.revokeObjectURL(url);
}

/**
 * Bulk provisioning from CSV: the preview shows the api's dry run of the rows
 * (field rules and database checks such as a username already taken) on each
 * row, and the import, all rows or none, is offered once that check passes.
 */
export default function BulkImportPage() {
  const dataProvider = useDataProvider<WharfDataProvider>();
  const notify = useNotify();
  const navigate = useNavigate();
  const canWrite = useCanWrite('ftp-users');
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [check, setCheck] = useState<Check>({ kind: 'idle' });

  const parsed = useMemo(() => parseCsv(csv), [csv]);
  const missing = REQUIRED_COLUMNS.filter((c) => !parsed.header.includes(c));
  const unknown = parsed.header.filter((c) => c && !KNOWN_COLUMNS.includes(c));
  const ready = csv.trim() !== '' && parsed.rows.length > 0 && missing.length === 0;
  const errors = check.kind === 'failed' ? check.errors : [];
  const errorsByLine = useMemo(() => {
    const map = new Map<number, BulkImportError[]>();
    for (const e of errors) {
      if (e.line == null) continue;
      map.set(e.line, [...(map.get(e.line) ?? []), e]);
    }
    return map;
  }, [errors]);
  const generalErrors = errors.filter((e) => e.line == null);

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    setFileName(file.name);
    setCsv(await file.text());
    event.target.value = '';
  };

  useEffect(() => {
    if (!canWrite || !ready) {
      setCheck({ kind: 'idle' });
      return;
    }
    let current = true;
    setCheck({ kind: 'checking' });
    const timer = setTimeout(() => {
      void dataProvider.checkFtpUsersImport({ csv }).then(
        (result) => current && setCheck({ kind: 'ok', wouldCreate: result.wouldCreate }),
        (e: unknown) => current && setCheck(failure(e)),
      );
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [csv, ready, canWrite, dataProvider]);

  // Someone may take a username between the check and the import: the import
  // checks again and, all or nothing, reports the rows the same way.
  const send = async () => {
    setBusy(true);
    try {
      const result = await dataProvider.bulkImportFtpUsers({ csv });
      notify(`${result.created || parsed.rows.length} FTP users created`, { type: 'success' });
      void navigate('/ftp-users');
    } catch (e) {
      setCheck(failure(e));
    } finally {
      setBusy(false);
    }
  };

  if (!canWrite) {
    return (
      <Alert severity="info" sx={{ mt: 2 }}>
        Your role can read FTP users but not create them.
      </Alert>
    );
  }

  return (
    <Box sx={{ mt: 1 }}>
      <Title title="Import FTP users" />
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>
            Import FTP users from CSV
          </Typography>
          <Typography variant="body2" color="text.secondary" gutterBottom>
            One user per row; the first row names the columns ({REQUIRED_COLUMNS.join(' and ')} are
            required; lists such as allowedIps and groups are separated by &quot;;&quot;). All rows
            are created, or none. The server checks the rows as you go and shows each problem on its
            row.
          </Typography>
          <Stack direction="row" spacing={1} sx={{ my: 2 }}>
            <Button variant="outlined" component="label" startIcon={<UploadFileIcon />}>
              Choose a CSV file
              <input
                hidden
                type="file"
                accept=".csv,text/csv"
                data-testid="csv-file"
                onChange={(e) => void onFile(e)}
              />
            </Button>
            <Button startIcon={<DownloadIcon />} onClick={downloadTemplate}>
              Template
            </Button>
            {fileName ? (
              <Chip label={fileName} onDelete={() => (setCsv(''), setFileName(null))} />
            ) : null}
          </Stack>
          <TextField
            label="…or paste CSV here"
            multiline
            minRows={4}
            maxRows={12}
            fullWidth
            value={csv}
            onChange={(e) => setCsv(e.target.value)}
            slotProps={{
              htmlInput: { 'data-testid': 'csv-text', style: { fontFamily: 'monospace' } },
            }}
          />
        </CardContent>
      </Card>

      {csv.trim() ? (
        <Card sx={{ mt: 2 }}>
          <CardContent>
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2 }}>
              <Typography variant="h6">Preview</Typography>
              <Chip label={`${parsed.rows.length} rows`} />
              {errorsByLine.size ? (
                <Chip color="error" label={`${errorsByLine.size} rows with errors`} />
              ) : null}
              <Box sx={{ flex: 1 }} />
              <Button
                variant="contained"
                disabled={!ready || busy || check.kind !== 'ok'}
                onClick={() => void send()}
              >
                Import {parsed.rows.length} users
              </Button>
            </Stack>
            {missing.length ? (
              <Alert severity="error" sx={{ mb: 2 }}>
                Missing required column{missing.length > 1 ? 's' : ''}: {missing.join(', ')}
              </Alert>
            ) : null}
            {unknown.length ? (
              <Alert severity="warning" sx={{ mb: 2 }}>
                Unknown columns (the api will refuse them): {unknown.join(', ')}
              </Alert>
            ) : null}
            {check.kind === 'checking' ? (
              <Alert severity="info" sx={{ mb: 2 }} icon={<CircularProgress size={20} />}>
                The server is checking the rows…
              </Alert>
            ) : null}
            {check.kind === 'ok' ? (
              <Alert severity="success" sx={{ mb: 2 }} data-testid="import-check-ok">
                The server checked every row: {check.wouldCreate} users can be created.
              </Alert>
            ) : null}
            {check.kind === 'failed' ? (
              <Alert severity="error" sx={{ mb: 2 }} data-testid="import-errors">
                <AlertTitle>Nothing can be imported yet</AlertTitle>
                {check.errors.length
                  ? `${check.errors.length} problems, shown on their rows below.`
                  : check.message}
                {generalErrors.map((e, i) => (
                  <div key={i}>
                    {e.field ? <b>{e.field}: </b> : null}
                    {e.message}
                  </div>
                ))}
              </Alert>
            ) : null}
            <TableContainer sx={{ maxHeight: 480 }}>
              <Table size="small" stickyHeader data-testid="csv-preview">
                <TableHead>
                  <TableRow>
                    <TableCell>Line</TableCell>
                    {parsed.header.map((h, i) => (
                      <TableCell key={i}>{h}</TableCell>
                    ))}
                    <TableCell>Problems</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {parsed.rows.slice(0, PREVIEW_ROWS).map((row) => {
                    const rowErrors = errorsByLine.get(row.line) ?? [];
                    const badFields = new Set(rowErrors.map((e) => e.field));
                    return (
                      <TableRow
                        key={row.line}
                        sx={
                          rowErrors.length
                            ? { bgcolor: 'error.light', '& td': { color: 'error.contrastText' } }
                            : undefined
                        }
                        data-line={row.line}
                      >
                        <TableCell>{row.line}</TableCell>
                        {parsed.header.map((h, i) => (
                          <TableCell
                            key={i}
                            sx={
                              badFields.has(h)
                                ? { fontWeight: 700, textDecoration: 'underline wavy' }
                                : undefined
                            }
                          >
                            {h === 'password' && row.cells[i] ? '••••••' : (row.cells[i] ?? '')}
                          </TableCell>
                        ))}
                        <TableCell>
                          {rowErrors.map((e, i) => (
                            <Tooltip key={i} title={e.field ?? ''}>
                              <div>
                                {e.field ? <b>{e.field}: </b> : null}
                                {e.message}
                              </div>
                            </Tooltip>
                          ))}
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
            </TableContainer>
            {parsed.rows.length > PREVIEW_ROWS ? (
              <Typography variant="caption" color="text.secondary">
                Showing the first {PREVIEW_ROWS} of {parsed.rows.length} rows; every row is sent.
              </Typography>
            ) : null}
          </CardContent>
        </Card>
      ) : null}
    </Box>
  );
}
