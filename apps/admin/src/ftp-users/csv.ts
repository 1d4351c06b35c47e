import { FTP_LIMIT_FIELDS } from '@wharf/contracts';

export interface CsvRow {
  /** 1-based line in the file where this record starts (the header is line 1). */
  line: number;
  cells: string[];
}

export interface ParsedCsv {
  header: string[];
  rows: CsvRow[];
}

/**
 * RFC 4180 parser for the preview only (quoted fields, doubled quotes, CRLF,
 * newlines inside quotes). The api parses the same text again and is the
 * authority on what is valid.
 */
export function parseCsv(text: string): ParsedCsv {
  const records: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRecord = () => {
    cells.push(cell);
    cell = '';
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
    cells = [];
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && cell === '') {
      quoted = true;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += ch;
    }
    i++;
  }
  if (cell !== '' || cells.length) endRecord();
  const [head, ...rows] = records;
  return { header: (head?.cells ?? []).map((h) => h.trim()), rows };
}

export const REQUIRED_COLUMNS = ['username', 'password'] as const;

/** The api's CSV columns (lists inside a cell are `;`-separated); others are refused by the api. */
export const KNOWN_COLUMNS = [
  'username',
  'password',
  'enabled',
  'expiresAt',
  'homeDir',
  ...FTP_LIMIT_FIELDS,
  'groups',
];

export const CSV_TEMPLATE = `username,password,quotaBytes,allowedIps,requireTls,groups
alice,change-me-please-1,10737418240,,true,
bob,change-me-please-2,,10.0.0.0/8;192.168.1.10,false,customers
`;
