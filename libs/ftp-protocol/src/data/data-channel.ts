import * as net from 'node:net';

import { FtpError, FtpErrorCode } from '../errors';
import type { PassivePortPool } from './passive-port-pool';

/** "::ffff:1.2.3.4" and "1.2.3.4" are the same client. */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** Something that yields one data connection: a passive listener or an active target. */
export interface DataChannel {
  /** Resolves with the raw TCP connection (paused, not yet read). */
  connect(timeoutMs: number): Promise<net.Socket>;
  close(): void;
}

/**
 * PASV/EPSV: one listener for one connection. It stops listening as soon as
 * the expected client connected, which returns the port to the pool at once.
 */
export class PassiveChannel implements DataChannel {
  private socket: net.Socket | null = null;
  private waiter: { resolve: (s: net.Socket) => void; reject: (e: Error) => void } | null = null;
  private closed = false;
  private released = false;

  private constructor(
    private readonly pool: PassivePortPool,
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  /**
   * @param expectedAddress the control connection's IP, or null to accept any
   *   (allowForeignDataAddress).
   */
  static async open(
    pool: PassivePortPool,
    host: string,
    expectedAddress: string | null,
  ): Promise<PassiveChannel> {
    // pauseOnConnect: nothing is read before the TLS layer (if any) takes the socket.
    const server = net.createServer({ pauseOnConnect: true });
    const port = await pool.listen(server, host);
    const channel = new PassiveChannel(pool, server, port);
    server.on('connection', (socket) => channel.onConnection(socket, expectedAddress));
    server.on('error', () => channel.close());
    return channel;
  }

  private onConnection(socket: net.Socket, expectedAddress: string | null): void {
    if (
      this.closed ||
      this.socket !== null ||
      (expectedAddress !== null && normalizeAddress(socket.remoteAddress) !== expectedAddress)
    ) {
      // Data connection from a stranger (port stealing): refuse it, keep waiting.
      socket.destroy();
      return;
    }
    socket.on('error', () => socket.destroy());
    this.socket = socket;
    this.stopListening();
    if (this.waiter) {
      this.waiter.resolve(socket);
      this.waiter = null;
    }
  }

  /** Once only: the port may already serve another session's PASV afterwards. */
  private stopListening(): void {
    if (this.released) return;
    this.released = true;
    this.pool.release(this.server, this.port);
  }

  connect(timeoutMs: number): Promise<net.Socket> {
    if (this.socket) return Promise.resolve(this.socket);
    if (this.closed) {
      return Promise.reject(
        new FtpError(FtpErrorCode.DATA_CONNECTION, "Can't open data connection."),
      );
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        this.close();
        reject(new FtpError(FtpErrorCode.DATA_CONNECTION, "Can't open data connection: timeout."));
      }, timeoutMs);
      this.waiter = {
        resolve: (s) => {
          clearTimeout(timer);
          resolve(s);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  /** Hands the connected socket over: closing the channel afterwards will not touch it. */
  take(): void {
    this.socket = null;
    this.closed = true;
  }

  close(): void {
    if (this.closed && this.socket === null && this.waiter === null) return;
    this.closed = true;
    this.stopListening();
    if (this.socket) {
      this.socket.destroy();
      this.socket = null;
    }
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.reject(new FtpError(FtpErrorCode.TRANSFER_ABORTED, 'Data connection closed.'));
    }
  }
}

/** PORT/EPRT: the server connects to the client. */
export class ActiveChannel implements DataChannel {
  private socket: net.Socket | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly localAddress: string | undefined,
  ) {}

  connect(timeoutMs: number): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({
        host: this.host,
        port: this.port,
        localAddress: this.localAddress,
      });
      this.socket = socket;
      socket.pause();
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new FtpError(FtpErrorCode.DATA_CONNECTION, "Can't open data connection: timeout."));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.on('error', () => socket.destroy());
        resolve(socket);
      });
      socket.once('error', () => {
        clearTimeout(timer);
        reject(new FtpError(FtpErrorCode.DATA_CONNECTION, "Can't open data connection."));
      });
    });
  }

  take(): void {
    this.socket = null;
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }
}
