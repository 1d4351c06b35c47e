import { Worker } from 'node:worker_threads';

interface Pending<Result> {
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
}

interface Reply<Result> {
  id: number;
  result?: Result;
  error?: { message: string; code?: string };
}

/**
 * One worker thread for work that would otherwise cost the event loop: the
 * storage's lstat batches and tree walks, the engine's upload hashes. `body` is plain JS (eval'd, so it runs the same
 * from ts-jest, tsc output and bundles) that defines `function handle(request)`
 * returning the result; a typed-array result is transferred, not copied. The
 * thread starts on first use and does not keep the process alive while no
 * request is pending. A thrown error rejects the request with its message and
 * `code`; a thread that dies rejects everything pending and the next request
 * starts a new one.
 */
export class EvalThread<Request, Result> {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending<Result>>();
  private nextId = 0;
  private readonly source: string;

  constructor(body: string) {
    this.source = `
const { parentPort } = require('node:worker_threads');
${body}
parentPort.on('message', ({ id, request }) => {
  let result;
  try {
    result = handle(request);
  } catch (e) {
    parentPort.postMessage({ id, error: { message: String((e && e.message) || e), code: e && e.code } });
    return;
  }
  parentPort.postMessage({ id, result }, ArrayBuffer.isView(result) ? [result.buffer] : []);
});`;
  }

  /** Starts the thread ahead of its first request (start-up takes tens of ms). */
  warm(): void {
    try {
      this.start();
    } catch {
      // request() reports it.
    }
  }

  /** `transfer`: ArrayBuffers handed over (detached here) instead of copied. */
  request(request: Request, transfer: ArrayBuffer[] = []): Promise<Result> {
    let worker: Worker;
    try {
      worker = this.start();
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const id = this.nextId++;
    if (this.pending.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, request }, transfer);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.source, { eval: true });
    worker.unref();
    worker.on('message', ({ id, result, error }: Reply<Result>) => {
      const request = this.pending.get(id);
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref();
      if (!request) return;
      if (error) request.reject(Object.assign(new Error(error.message), { code: error.code }));
      else request.resolve(result as Result);
    });
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = null;
      for (const request of this.pending.values()) request.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`worker thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}
