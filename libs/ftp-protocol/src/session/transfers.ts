import type * as net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type * as tls from 'node:tls';

import { errorToReply, FtpError, FtpErrorCode } from '../errors';
import { baseName } from '../paths';
import {
  type FileReader,
  type FileStat,
  FileSystemError,
  type VirtualPath,
} from '../ports/file-system.port';
import { Reply } from '../replies';
import { CrlfToLf, LfToCrlf } from '../transfer/ascii';
import { downloadChunkBytes } from '../transfer/download-chunk';
import { throttleFor } from '../transfer/throttle';
import { UploadMeter } from '../transfer/upload-meter';
import type { ActiveTransfer, FtpSession } from './ftp-session';

/** Listing lines are batched into writes of about this many characters. */
const LISTING_BATCH_CHARS = 16 * 1024;

function aborted(): FtpError {
  return new FtpError(FtpErrorCode.TRANSFER_ABORTED, 'Transfer aborted.');
}

/**
 * Gets the data connection for a transfer: waits for the client (passive) or
 * connects to it (active), sends `150` and only then runs the TLS handshake,
 * because lftp and ftplib start it after reading the 1xx reply.
 */
async function openDataConnection(
  session: FtpSession,
  transfer: ActiveTransfer,
  message: string,
): Promise<net.Socket> {
  const channel = session.dataChannel;
  if (!channel) {
    throw new FtpError(FtpErrorCode.DATA_CONNECTION, 'Use PORT, EPRT, PASV or EPSV first.');
  }
  const raw = await channel.connect(session.options.dataTimeoutMs);
  // One data connection per PASV/PORT (RFC 959 §3.2): the channel is spent.
  if ('take' in channel && typeof channel.take === 'function') channel.take();
  if (session.dataChannel === channel) session.dataChannel = null;
  transfer.data = raw;
  if (transfer.aborted) {
    raw.destroy();
    throw aborted();
  }
  session.reply(Reply.OPENING_DATA, message);
  if (!session.protPrivate) return raw;
  const tlsManager = session.server.tls;
  if (!tlsManager) throw new FtpError(FtpErrorCode.DATA_CONNECTION, 'TLS not configured.');
  const binding = session.tlsBinding;
  const secure = tlsManager.wrap(raw, binding, 'data');
  transfer.data = secure;
  await handshake(secure, session.options.dataTimeoutMs);
  if (transfer.aborted) {
    secure.destroy();
    throw aborted();
  }
  if (binding && !binding.owns(secure)) {
    secure.destroy();
    throw new FtpError(
      FtpErrorCode.SESSION_REUSE_REQUIRED,
      secure.isSessionReused()
        ? 'TLS session of data connection belongs to another control connection: session reuse required.'
        : 'TLS session of data connection not resumed: session reuse required.',
    );
  }
  return secure;
}

function handshake(socket: tls.TLSSocket, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (): void => {
      cleanup();
      socket.destroy();
      reject(
        new FtpError(FtpErrorCode.DATA_CONNECTION, 'TLS handshake on data connection failed.'),
      );
    };
    const ok = (): void => {
      cleanup();
      // Node flushes the TLS 1.3 NewSessionTicket after the 'secure' handlers; data
      // written before it lands ahead of the ticket and Python's ssl then fails
      // unwrap() with SHUTDOWN_WHILE_IN_INIT. One turn of the loop avoids that.
      setImmediate(resolve);
    };
    const timer = setTimeout(fail, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.removeListener('secure', ok);
      socket.removeListener('error', fail);
      socket.removeListener('close', fail);
    };
    socket.once('secure', ok);
    socket.once('error', fail);
    socket.once('close', fail);
  });
}

/** Resolves on 'drain', rejects when the socket closes first (ABOR, client gone). */
function drain(socket: net.Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      socket.removeListener('close', onClose);
      resolve();
    };
    const onClose = (): void => {
      socket.removeListener('drain', onDrain);
      reject(aborted());
    };
    socket.once('drain', onDrain);
    socket.once('close', onClose);
  });
}

/** Ends the data connection gracefully (TLS close_notify, then FIN) and waits for it. */
function endData(socket: net.Socket, last?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onFinish = (): void => {
      socket.removeListener('close', onClose);
      resolve();
    };
    const onClose = (): void => {
      socket.removeListener('finish', onFinish);
      if (socket.writableFinished) resolve();
      else reject(aborted());
    };
    socket.once('finish', onFinish);
    socket.once('close', onClose);
    if (last) socket.end(last);
    else socket.end();
  });
}

/**
 * Runs the transfer streams. Two streams (the common binary case) are joined
 * with pipe() and a few listeners: stream.pipeline() allocates an
 * AbortController and throws a DOMException away per call, which shows in the
 * small-file profile. Longer chains use pipeline().
 */
function connect(stages: Array<Readable | Writable>): Promise<void> {
  if (stages.length !== 2) return pipeline(stages);
  const source = stages[0] as Readable;
  const sink = stages[1] as Writable;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error?: Error): void => {
      if (settled) return;
      settled = true;
      source.destroy();
      sink.destroy();
      reject(error ?? aborted());
    };
    source.once('error', fail);
    sink.once('error', fail);
    source.once('close', () => {
      if (!source.readableEnded) fail();
    });
    sink.once('close', () => {
      if (!sink.writableFinished) fail();
    });
    sink.once('finish', () => {
      if (settled) return;
      settled = true;
      resolve();
    });
    source.pipe(sink);
  });
}

/**
 * Runs an upload: the data connection piped into `stages` (which end with the
 * file). Unlike connect(), a failure further down (quota refused, disk full)
 * only unpipes the data connection and leaves it open, so the error reply can
 * go out before it is closed (see discardAndClose). One stage (the plain
 * binary case) is watched with a few listeners, longer chains with connect().
 */
function connectUpload(data: net.Socket, stages: Array<Readable | Writable>): Promise<void> {
  const head = stages[0] as Writable;
  const file = stages[stages.length - 1] as Writable;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error?: Error): void => {
      if (settled) return;
      settled = true;
      data.unpipe(head);
      for (const stage of stages) stage.destroy();
      reject(error ?? aborted());
    };
    data.on('error', fail);
    data.once('close', () => {
      if (!data.readableEnded) fail();
    });
    if (stages.length > 1) {
      connect(stages).then(
        () => {
          if (settled) return;
          settled = true;
          resolve();
        },
        (error: unknown) => fail(error as Error),
      );
    } else {
      file.once('error', fail);
      file.once('close', () => {
        if (!file.writableFinished) fail();
      });
      file.once('finish', () => {
        if (settled) return;
        settled = true;
        resolve();
      });
    }
    data.pipe(head);
  });
}

/**
 * Lets the client close a data connection whose work is done: after a
 * download or listing (our side already ended), and after a failed upload's
 * error reply went out. The socket was accepted paused; unless it is read, the
 * client's FIN (or TLS close_notify) is never seen and the socket, with its
 * file descriptor, stays open for the life of the process. Destroying it
 * instead with bytes unread sends a TCP reset, which basic-ftp reports
 * (ECONNRESET) instead of the 552 and ftplib as a broken pipe. So whatever
 * comes is read and dropped until the client closes the connection, for at
 * most dataTimeoutMs, and never past the end of the control connection.
 */
function discardAndClose(session: FtpSession, data: net.Socket): void {
  if (data.destroyed) return;
  const control = session.socket;
  const close = (): void => {
    clearTimeout(timer);
    control.removeListener('close', close);
    data.destroy();
  };
  const timer = setTimeout(close, session.options.dataTimeoutMs);
  timer.unref();
  // An error is followed by 'close', which ends it.
  data.on('error', () => undefined);
  data.once('close', close);
  control.once('close', close);
  data.resume();
}

/** Reply for a failed transfer: 426 unless the error says otherwise. */
function failureReply(error: unknown, transfer: ActiveTransfer): { code: number; text: string } {
  if (transfer.aborted) return { code: Reply.TRANSFER_ABORTED, text: 'Transfer aborted.' };
  if (error instanceof FtpError || error instanceof FileSystemError) return errorToReply(error);
  return { code: Reply.TRANSFER_ABORTED, text: 'Connection closed; transfer aborted.' };
}

function modeName(session: FtpSession): string {
  return session.asciiType ? 'ASCII' : 'BINARY';
}

export async function runDownload(
  session: FtpSession,
  verb: string,
  path: VirtualPath,
): Promise<void> {
  session.checkDataProtection();
  await session.authorize('download', path);
  const fs = session.fs;
  const offset = session.restOffset;
  session.restOffset = 0;
  const throttle = throttleFor(
    session.principal?.policy?.bandwidth?.download,
    session.server.bandwidth.download,
  );
  // Binary and unthrottled (the common case): positional reads into two reused
  // buffers, and the size from the open file (a directory or device is refused
  // by openReader with 550), so no stat() first: two thread-pool round trips
  // less per small file.
  const reader =
    fs.openReader && !session.asciiType && !throttle ? await fs.openReader(path) : null;
  let size: number;
  if (reader) {
    size = reader.size;
  } else {
    const stat = await fs.stat(path);
    if (stat.type !== 'file') throw new FtpError(FtpErrorCode.NOT_FOUND, 'Not a plain file.');
    size = stat.size;
  }
  const source = reader ? null : await fs.read(path, offset);
  const { transfer, finish } = session.beginTransfer(verb, path);
  let counted = 0;
  const count = (bytes: number): void => {
    counted += bytes;
    transfer.bytes = counted;
  };
  try {
    const data = await openDataConnection(
      session,
      transfer,
      `Opening ${modeName(session)} mode data connection for ${baseName(path)} (${size} bytes).`,
    );
    if (reader) {
      await pumpDownload(reader, offset, downloadChunkBytes(size - offset), data, count);
    } else {
      const stages: Array<Readable | Writable> = [source!];
      if (session.asciiType) stages.push(new LfToCrlf());
      if (throttle) stages.push(throttle);
      stages.push(data);
      const done = connect(stages);
      // Counted on the source: one listener, no extra stream on the hot path.
      source!.on('data', (chunk: Buffer) => count(chunk.length));
      await done;
    }
    if (transfer.aborted) throw aborted();
    discardAndClose(session, data);
    session.bytesDownloaded += counted;
    await session.emit('download', verb, {
      path,
      bytes: counted,
      durationMs: Math.round(performance.now() - transfer.startedAt),
      outcome: 'ok',
    });
    session.reply(Reply.TRANSFER_COMPLETE, 'Transfer complete.');
  } catch (error) {
    source?.destroy();
    transfer.data?.destroy();
    await reader?.close().catch(() => undefined);
    session.bytesDownloaded += counted;
    const reply = failureReply(error, transfer);
    await session.emit('download', verb, {
      path,
      bytes: counted,
      durationMs: Math.round(performance.now() - transfer.startedAt),
      outcome: transfer.aborted ? 'aborted' : 'failed',
      reason: reply.text,
    });
    session.reply(reply.code, reply.text);
  } finally {
    finish();
  }
}

/**
 * Sends a file from `position` to its end through two buffers used in turn:
 * the next chunk is read while the last one is written, and a buffer is read
 * into again only once the socket's write callback gave it back (the data is
 * in the kernel, or encrypted into TLS records), so a chunk can never be
 * overwritten while it is still being sent. Ends the data connection
 * gracefully; rejects when it closes or fails first (ABOR, client gone), or
 * when a read fails. The reader is closed before this returns.
 */
async function pumpDownload(
  reader: FileReader,
  position: number,
  chunk: number,
  data: net.Socket,
  onBytes: (bytes: number) => void,
): Promise<void> {
  // The second buffer only once a second chunk is read: a small file needs one.
  const buffers: Buffer[] = [];
  // Each resolves (never rejects: it is awaited a turn later) with the write's error, if any.
  const writes: Array<Promise<Error | null | undefined>> = [
    Promise.resolve(null),
    Promise.resolve(null),
  ];
  // A reset reaches the write callbacks too; unheard, the 'error' event would be thrown.
  data.on('error', () => undefined);
  try {
    for (let i = 0; ; i ^= 1) {
      if ((await writes[i]) || data.destroyed) throw aborted();
      const buffer = (buffers[i] ??= Buffer.allocUnsafeSlow(chunk));
      const n = await reader.read(buffer, position);
      if (n === 0) break;
      position += n;
      onBytes(n);
      const out = n === chunk ? buffer : buffer.subarray(0, n);
      writes[i] = new Promise((resolve) => data.write(out, resolve));
      // A short read at or past the size the file had when opened is its end: no
      // read that returns 0 to learn it (a short read before it, which a network
      // file system may give, just goes on).
      if (n < chunk && position >= reader.size) break;
    }
    const failed = await Promise.all(writes);
    if (failed.some(Boolean)) throw aborted();
    await endData(data);
  } finally {
    await reader.close();
  }
}

export type UploadMode = 'store' | 'append' | 'unique';

export async function runUpload(
  session: FtpSession,
  verb: string,
  path: VirtualPath,
  mode: UploadMode,
): Promise<void> {
  session.checkDataProtection();
  const fs = session.fs;
  const offset = mode === 'store' ? session.restOffset : 0;
  session.restOffset = 0;
  let existing: FileStat | null = null;
  try {
    existing = await fs.stat(path);
  } catch (error) {
    if (!(error instanceof FileSystemError && error.code === 'NOT_FOUND')) throw error;
  }
  if (existing?.type === 'dir') throw new FtpError(FtpErrorCode.NOT_FOUND, 'Is a directory.');
  const operation = mode === 'append' || offset > 0 ? 'append' : existing ? 'overwrite' : 'upload';
  await session.authorize(operation, path);
  if (existing === null && operation === 'append') await session.authorize('upload', path);
  // RFC 3659 §5.4: a REST the transfer cannot honour is refused on the transfer
  // command with 554. Checked here so every FileSystem behaves the same: a gap
  // past the end would otherwise be zero-filled by one and refused by another.
  if (offset > 0 && (existing === null || offset > existing.size)) {
    throw new FtpError(FtpErrorCode.BAD_ARGUMENT, 'Invalid REST parameter: beyond end of file.', {
      reply: Reply.INVALID_REST_PARAMETER,
    });
  }
  const upload = await fs.write(path, {
    offset: offset > 0 ? offset : undefined,
    append: mode === 'append' ? true : undefined,
  });
  const { transfer, finish } = session.beginTransfer(verb, path);
  const policy = session.principal?.policy;
  const reserve = policy?.reserve?.bind(policy);
  let unwatch = (): void => undefined;
  const meter = new UploadMeter({
    reserve: reserve ? (bytes) => reserve(bytes, path) : undefined,
    onBytes: (bytes) => (transfer.bytes = bytes),
    // SHA-256 (~0.6 s of CPU per GiB, in a thread past 1 MiB): only when an event sink gets it.
    sha256: session.options.events !== undefined && session.options.uploadSha256 !== false,
  });
  try {
    const data = await openDataConnection(
      session,
      transfer,
      mode === 'unique'
        ? `FILE: ${baseName(path)}`
        : `Opening ${modeName(session)} mode data connection for ${baseName(path)}.`,
    );
    const stages: Array<Readable | Writable> = [];
    if (session.asciiType) stages.push(new CrlfToLf());
    const throttle = throttleFor(policy?.bandwidth?.upload, session.server.bandwidth.upload);
    if (throttle) stages.push(throttle);
    if (stages.length === 0 && !reserve) {
      // Plain binary upload without quota hook: no extra stream hop on the hot
      // path, the meter only watches the chunks the socket hands to the file.
      unwatch = meter.watch(data);
      stages.push(upload.stream);
    } else {
      stages.push(meter, upload.stream);
    }
    await connectUpload(data, stages);
    if (transfer.aborted) throw aborted();
    // A reservation asked for ahead may still be in flight: it lands before the upload closes.
    await meter.settle();
    await upload.commit();
    if (meter.reserved > meter.bytes) await policy?.release?.(meter.reserved - meter.bytes, path);
    session.bytesUploaded += meter.bytes;
    await session.emit('upload', verb, {
      path,
      bytes: meter.bytes,
      durationMs: Math.round(performance.now() - transfer.startedAt),
      outcome: 'ok',
      sha256: await uploadDigest(session, meter),
    });
    session.reply(
      Reply.TRANSFER_COMPLETE,
      mode === 'unique'
        ? `Transfer complete (unique file name: ${baseName(path)}).`
        : 'Transfer complete.',
    );
  } catch (error) {
    const data = transfer.data;
    unwatch();
    // Cut at once only when the transfer was aborted; otherwise after the reply (below).
    if (transfer.aborted) data?.destroy();
    meter.dispose();
    try {
      await meter.settle();
      await upload.abort();
    } catch (abortError) {
      session.server.logger.warn('upload abort failed', {
        sessionId: session.id,
        error: String(abortError),
      });
    }
    if (meter.reserved > 0) await policy?.release?.(meter.reserved, path);
    session.bytesUploaded += meter.bytes;
    const reply = failureReply(error, transfer);
    await session.emit('upload', verb, {
      path,
      bytes: meter.bytes,
      durationMs: Math.round(performance.now() - transfer.startedAt),
      outcome: transfer.aborted ? 'aborted' : 'failed',
      reason: reply.text,
    });
    session.reply(reply.code, reply.text);
    if (data) discardAndClose(session, data);
  } finally {
    finish();
  }
}

/** The upload's SHA-256, or null (with a warning) when the hash thread failed: the file itself is stored. */
async function uploadDigest(session: FtpSession, meter: UploadMeter): Promise<string | null> {
  try {
    return await meter.digest();
  } catch (error) {
    session.server.logger.warn('upload hash failed', {
      sessionId: session.id,
      error: String(error),
    });
    return null;
  }
}

export interface ListingOptions {
  /** Formats one entry (with its CRLF). */
  format: (stat: FileStat) => string;
  /** Skip names starting with "." (LIST without -a). */
  hideDotFiles?: boolean;
  /** MLSD (RFC 3659 §7.2): the target must be a directory. */
  directoryOnly?: boolean;
}

/** LIST, NLST, MLSD: streamed from the FileSystem iterator in batches, with backpressure. */
export async function runListing(
  session: FtpSession,
  verb: string,
  path: VirtualPath,
  options: ListingOptions,
): Promise<void> {
  session.checkDataProtection();
  await session.authorize('list', path);
  const fs = session.fs;
  const stat = await fs.stat(path);
  if (options.directoryOnly && stat.type !== 'dir') {
    throw new FtpError(FtpErrorCode.NOT_FOUND, 'Not a directory.');
  }
  const { transfer, finish } = session.beginTransfer(verb, path);
  try {
    const data = await openDataConnection(session, transfer, 'Here comes the directory listing.');
    let batch = '';
    if (stat.type === 'dir') {
      for await (const entry of fs.list(path)) {
        if (transfer.aborted) throw aborted();
        if (options.hideDotFiles && entry.name.startsWith('.')) continue;
        batch += options.format(entry);
        if (batch.length >= LISTING_BATCH_CHARS) {
          transfer.bytes += batch.length;
          const ok = data.write(batch);
          batch = '';
          if (!ok) await drain(data);
        }
      }
    } else {
      batch += options.format(stat);
    }
    transfer.bytes += batch.length;
    await endData(data, batch);
    if (transfer.aborted) throw aborted();
    discardAndClose(session, data);
    session.reply(Reply.TRANSFER_COMPLETE, 'Directory send OK.');
  } catch (error) {
    transfer.data?.destroy();
    const reply = failureReply(error, transfer);
    session.reply(reply.code, reply.text);
  } finally {
    finish();
  }
}
