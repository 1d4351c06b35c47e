/** One row of `GET /api/v1/sessions`: a live FTP session on some worker. */
export interface LiveSession {
  id: string;
  workerId: string;
  serverId: string | null;
  userId: string | null;
  username: string | null;
  clientIp: string;
  clientPort: number;
  /** Negotiated TLS version ("TLSv1.3"); null when plain. */
  tls: string | null;
  loginAt: string | null;
  currentCommand: string | null;
  bytesTransferred: number;
  transfer: {
    direction: 'upload' | 'download';
    path: string;
    bytes: number;
    startedAt: string;
  } | null;
  updatedAt: string;
}
