import { Transform, type TransformCallback } from 'node:stream';

const CR = 0x0d;
const LF = 0x0a;

/** TYPE A download (RFC 959 §3.1.1.1): bare LF becomes CRLF on the wire. */
export class LfToCrlf extends Transform {
  private lastWasCr = false;

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    let extra = 0;
    let prev = this.lastWasCr;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] === LF && !prev) extra++;
      prev = chunk[i] === CR;
    }
    if (extra === 0) {
      this.lastWasCr = prev;
      callback(null, chunk);
      return;
    }
    const out = Buffer.allocUnsafe(chunk.length + extra);
    let o = 0;
    prev = this.lastWasCr;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === LF && !prev) out[o++] = CR;
      out[o++] = b;
      prev = b === CR;
    }
    this.lastWasCr = prev;
    callback(null, out);
  }
}

/** TYPE A upload: CRLF on the wire becomes LF on disk (a CR at a chunk end is held back). */
export class CrlfToLf extends Transform {
  private heldCr = false;

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    const out = Buffer.allocUnsafe(chunk.length + 1);
    let o = 0;
    let i = 0;
    if (this.heldCr) {
      this.heldCr = false;
      if (chunk.length === 0 || chunk[0] !== LF) out[o++] = CR;
    }
    for (; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === CR) {
        if (i + 1 === chunk.length) {
          this.heldCr = true;
          continue;
        }
        if (chunk[i + 1] === LF) continue;
      }
      out[o++] = b;
    }
    callback(null, out.subarray(0, o));
  }

  override _flush(callback: TransformCallback): void {
    if (this.heldCr) this.push(Buffer.from([CR]));
    callback();
  }
}
