export { type Env, envSchema, type WharfConfig } from './config.schema';
export { childEnvironment, CONFIG_VARIABLES, ConfigError, loadConfig } from './load-config';
