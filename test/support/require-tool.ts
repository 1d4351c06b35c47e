import { execFileSync } from 'node:child_process';

/** An external program a suite drives (FTP clients, chromium, redis-server), probed once per test file. */
export interface ToolProbe {
  /** Executable name, looked up on PATH. */
  command: string;
  /** Arguments that make it print its version and exit 0. */
  versionArgs: string[];
  /** Debian package that provides it (named in the skip message). */
  debianPackage: string;
  /**
   * Absolute paths tried before PATH. For python3 the Debian interpreter is the
   * client under test, and a version-manager shim found first on PATH can cost
   * seconds per start.
   */
  preferredPaths?: string[];
}

export interface ToolStatus {
  available: boolean;
  /** What to execute: a preferred absolute path when it works, else `command`. */
  executable: string;
  /** First line of the version output, or why the tool is unusable. */
  detail: string;
}

/**
 * The one rule for a missing client. Locally the suite says why it skipped
 * (console.warn plus a single passing test naming the reason); in CI
 * (CI=true, set by .ci/run and every CI service) a missing client is a failing
 * test, because .ci/run installs every client and a silent skip would hide a
 * broken install.
 */
export function describeWithTool(
  tool: ToolProbe,
  title: string,
  body: (status: ToolStatus) => void,
): void {
  // Probed synchronously at collection time: Jest's describe() cannot await.
  const status = probeToolSync(tool);
  if (status.available) {
    describe(`${title} (${status.detail})`, () => body(status));
    return;
  }
  const reason = `${tool.command} is not installed (apt-get install ${tool.debianPackage}): ${status.detail}`;
  // The harness's only environment read: whether this run is CI.
  const inCi = process.env.CI === 'true';
  describe(title, () => {
    if (inCi) {
      it(`has ${tool.command} installed (required in CI)`, () => {
        throw new Error(reason);
      });
    } else {
      it(`skipped: ${reason}`, () => {
        console.warn(`${title} skipped: ${reason}`);
      });
    }
  });
}

function probeToolSync(tool: ToolProbe): ToolStatus {
  let failure = 'not found';
  for (const executable of [...(tool.preferredPaths ?? []), tool.command]) {
    try {
      const output = execFileSync(executable, tool.versionArgs, {
        timeout: 10_000,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const firstLine = output.split('\n').find((line) => line.trim() !== '');
      return { available: true, executable, detail: firstLine?.trim() ?? executable };
    } catch (error) {
      failure = (error as Error).message.split('\n')[0] ?? failure;
    }
  }
  return { available: false, executable: tool.command, detail: failure };
}

export const CURL: ToolProbe = {
  command: 'curl',
  versionArgs: ['--version'],
  debianPackage: 'curl',
};
export const LFTP: ToolProbe = {
  command: 'lftp',
  versionArgs: ['--version'],
  debianPackage: 'lftp',
};
export const PYTHON3: ToolProbe = {
  command: 'python3',
  versionArgs: ['--version'],
  debianPackage: 'python3',
  preferredPaths: ['/usr/bin/python3'],
};
export const RCLONE: ToolProbe = {
  command: 'rclone',
  versionArgs: ['version'],
  debianPackage: 'rclone',
};
export const CHROMIUM: ToolProbe = {
  // The browser tests launch exactly this binary (playwright-core executablePath).
  command: '/usr/bin/chromium',
  versionArgs: ['--version'],
  debianPackage: 'chromium',
};
