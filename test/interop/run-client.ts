import { execFile } from 'node:child_process';

export interface ClientResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every client call is bounded: a hung transfer fails the test instead of the run. */
export const CLIENT_TIMEOUT_MS = 30_000;

/**
 * Runs a client binary and resolves with its exit status and output; it
 * never rejects on a non-zero exit, so a test can assert on the status and
 * show the client's own diagnostics when it fails.
 */
export function runClient(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ClientResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? clientEnv(),
        timeout: options.timeoutMs ?? CLIENT_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        const timedOut = error && 'killed' in error && error.killed;
        resolve({
          code,
          stdout,
          stderr: timedOut ? `${stderr}\n[killed after timeout]` : stderr,
        });
      },
    );
  });
}

/** Asserts success, with the client's output in the failure message. */
export function expectOk(result: ClientResult, what: string): void {
  if (result.code !== 0) {
    throw new Error(
      `${what} failed with exit ${String(result.code)}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
}

/**
 * The clients' environment: no proxy variables (curl and lftp honour
 * ftp_proxy/all_proxy, which would take a test off 127.0.0.1) and, when given,
 * a scratch HOME so lftp history and rclone config stay out of the real one.
 */
export function clientEnv(home?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/_proxy$/i.test(key)) env[key] = value;
  }
  env.NO_PROXY = '*';
  env.no_proxy = '*';
  if (home) env.HOME = home;
  return env;
}
