import { constants, randomBytes } from 'node:crypto';
import type * as net from 'node:net';
import * as tls from 'node:tls';

import type { TlsMaterial } from '../ports/server-options';
import type { TlsSessionBinding } from './session-binding';

/**
 * TLS for one listener: the current certificate and the session-ticket keys
 * shared by its control and data connections, so a data connection can resume
 * the control connection's session (RFC 4217 §10, quirk 3 of FTP-CLIENTS.md).
 * The certificate can be swapped at run time; sockets created afterwards use
 * the new one, live ones keep theirs.
 */
export class TlsManager {
  /** 48 bytes: name, HMAC and AES keys of the ticket (Node's format). */
  private readonly ticketKeys = randomBytes(48);
  private readonly sessionIdContext = randomBytes(16).toString('hex');
  private context: tls.SecureContext;

  constructor(material: TlsMaterial) {
    this.context = this.build(material);
  }

  /** Throws (and keeps the old certificate) when the PEMs are invalid. */
  update(material: TlsMaterial): void {
    this.context = this.build(material);
  }

  /**
   * Server side of a control or data connection; nothing is read before this.
   * With a binding, the sessions issued on this connection are remembered as
   * the control session's (see TlsSessionBinding).
   */
  wrap(
    socket: net.Socket,
    binding?: TlsSessionBinding | null,
    role: 'control' | 'data' = 'data',
  ): tls.TLSSocket {
    const secure = new tls.TLSSocket(socket, {
      isServer: true,
      secureContext: this.context,
      requestCert: false,
      rejectUnauthorized: false,
      // Node emits 'newSession' (one per TLS 1.3 ticket) on this "server".
      server: binding ? (binding as unknown as net.Server) : undefined,
    });
    if (binding && role === 'control') {
      secure.once('secure', () => binding.controlSecured(secure));
    }
    return secure;
  }

  private build(material: TlsMaterial): tls.SecureContext {
    return tls.createSecureContext({
      key: material.key,
      cert: material.cert,
      ca: material.ca,
      minVersion: 'TLSv1.2',
      // Client-initiated renegotiation is a DoS lever and never needed by FTP clients.
      secureOptions: constants.SSL_OP_NO_RENEGOTIATION,
      ticketKeys: this.ticketKeys,
      sessionIdContext: this.sessionIdContext,
    });
  }
}
