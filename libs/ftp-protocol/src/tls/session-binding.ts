import { createHash } from 'node:crypto';
import type * as tls from 'node:tls';

/** Fingerprints kept per control session: the control connection's own, then the newest. */
const MAX_FINGERPRINTS = 16;
/** Never evicted: the control connection's sessions (TLS 1.2: one; TLS 1.3: OpenSSL's two tickets). */
const PINNED_FINGERPRINTS = 4;

/**
 * Binds TLS session resumption to one control connection, so a data
 * connection must resume a session issued on *this* control connection (or on
 * one of its data connections), not merely one issued by the listener.
 *
 * All sessions of a listener share one SecureContext and its ticket keys: a
 * per-session SecureContext costs about 30 KiB and 2.5 ms (key parsing) per
 * control connection. Instead the secret each resumable session carries is
 * remembered, hashed: the master secret of a TLS 1.2 session (a resumed
 * session keeps it) and the resumption PSK of each TLS 1.3 ticket (the session
 * a ticket resumes carries it as its master key). Node hands us both through
 * `getSession()` and the `newSession` event it emits on the socket's `server`
 * option: the binding itself stands in for a tls.Server there (Node only
 * calls listenerCount() and emit() on it), so a session pays for one small
 * object and its fingerprints, not for an EventEmitter and closures.
 *
 * Only created when the listener requires session reuse; otherwise a data
 * connection that resumes nothing is accepted anyway and binding buys nothing.
 */
export class TlsSessionBinding {
  private readonly fingerprints: string[] = [];

  /** tls.Server duck type: Node enables its session callbacks when this is > 0. */
  listenerCount(event: string): number {
    return event === 'newSession' ? 1 : 0;
  }

  /** tls.Server duck type: Node emits `newSession` once per issued session (TLS 1.3 ticket). */
  emit(event: string, ...args: unknown[]): boolean {
    if (event !== 'newSession') return false;
    const [, session, done] = args as [Buffer, Buffer, () => void];
    this.remember(session);
    done();
    return true;
  }

  /** Control connection handshake done: TLS 1.2 sessions are known now (1.3 tickets come later). */
  controlSecured(socket: tls.TLSSocket): void {
    const session = socket.getSession();
    if (session) this.remember(session);
  }

  /** True when the data connection resumed a session of this control connection. */
  owns(socket: tls.TLSSocket): boolean {
    if (!socket.isSessionReused()) return false;
    const session = socket.getSession();
    const fingerprint = session ? fingerprintOf(session) : null;
    return fingerprint !== null && this.fingerprints.includes(fingerprint);
  }

  private remember(session: Buffer): void {
    const fingerprint = fingerprintOf(session);
    if (fingerprint === null || this.fingerprints.includes(fingerprint)) return;
    this.fingerprints.push(fingerprint);
    if (this.fingerprints.length > MAX_FINGERPRINTS)
      this.fingerprints.splice(PINNED_FINGERPRINTS, 1);
  }
}

/** SHA-256 (first 128 bits) of the session's master key; null when it has none. */
function fingerprintOf(session: Buffer): string | null {
  const masterKey = sessionMasterKey(session);
  if (!masterKey || masterKey.length === 0) return null;
  return createHash('sha256').update(masterKey).digest('base64').slice(0, 22);
}

/**
 * The masterKey field of OpenSSL's DER SSL_SESSION:
 * SEQUENCE { version INTEGER, sslVersion INTEGER, cipher OCTET STRING,
 * sessionID OCTET STRING, masterKey OCTET STRING, ... }.
 */
export function sessionMasterKey(der: Buffer): Buffer | null {
  let offset = 0;
  const header = (): { tag: number; length: number } | null => {
    if (offset + 2 > der.length) return null;
    const tag = der[offset++]!;
    let length = der[offset++]!;
    if (length & 0x80) {
      const bytes = length & 0x7f;
      if (bytes === 0 || bytes > 3 || offset + bytes > der.length) return null;
      length = 0;
      for (let i = 0; i < bytes; i++) length = length * 256 + der[offset++]!;
    }
    return { tag, length };
  };
  const sequence = header();
  if (!sequence || sequence.tag !== 0x30) return null;
  const expected = [0x02, 0x02, 0x04, 0x04, 0x04];
  for (let field = 0; field < expected.length; field++) {
    const item = header();
    if (!item || item.tag !== expected[field] || offset + item.length > der.length) return null;
    if (field === expected.length - 1) return der.subarray(offset, offset + item.length);
    offset += item.length;
  }
  return null;
}
