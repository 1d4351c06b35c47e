import {
  crossFieldProblems,
  envObject,
  envSchema,
  toConfig,
  type WharfConfig,
} from './config.schema';

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** The names of every variable the schema knows, for documentation and tests. */
export const CONFIG_VARIABLES = Object.keys(envObject.shape);

/**
 * Validates the environment once and returns a typed config. Every invalid
 * variable is reported in one error. Empty strings count as unset, which is
 * what docker-compose produces for `VAR=` lines.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): WharfConfig {
  const relevant: Record<string, string> = {};
  for (const key of CONFIG_VARIABLES) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const parsed = envSchema.safeParse(relevant);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => ({
          variable: String(issue.path[0] ?? '(environment)'),
          message: issue.message,
        }))),
    ...crossFieldProblems(relevant),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return toConfig(parsed.data, cwd);
}

/**
 * The environment for a child process (the launcher's api and worker): this
 * process's environment with overrides. Lives here so that config stays the
 * only code that reads process.env.
 */
export function childEnvironment(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}
