import { randomInt } from 'node:crypto';
import * as net from 'node:net';

import type { PassivePortRange } from '../ports/server-options';

/**
 * Hands out passive ports drawn at random from a range (predictable ports
 * help data-connection hijacking). A port is ours from listen() until
 * release(): the listener stops listening as soon as its one data connection
 * arrived, and the port can serve another PASV while that connection still
 * runs (another 4-tuple). The listener's 'close' event is no signal: Node
 * emits it only after every accepted connection ended, and never when TLS
 * took over the connection's handle. Ports another process holds are
 * skipped on EADDRINUSE.
 */
export class PassivePortPool {
  private readonly inUse = new Set<number>();

  constructor(private readonly range: PassivePortRange | undefined) {}

  /** Listens `server` on a free port of the range (or any port without range); returns it. */
  async listen(server: net.Server, host: string): Promise<number> {
    const range = this.range;
    if (!range) {
      await listenOn(server, host, 0);
      return (server.address() as net.AddressInfo).port;
    }
    const size = range.max - range.min + 1;
    const start = randomInt(size);
    for (let i = 0; i < size; i++) {
      const port = range.min + ((start + i) % size);
      if (this.inUse.has(port)) continue;
      this.inUse.add(port);
      try {
        await listenOn(server, host, port);
        return port;
      } catch (error) {
        this.inUse.delete(port);
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
      }
    }
    throw new Error('No free passive port in range');
  }

  /** Stops listening (connections already accepted stay open) and frees the port. */
  release(server: net.Server, port: number): void {
    if (server.listening) server.close();
    this.inUse.delete(port);
  }

  get used(): number {
    return this.inUse.size;
  }
}

function listenOn(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.removeListener('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.removeListener('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}
