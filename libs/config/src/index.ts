export { type Env, envSchema, type WharfConfig } from './config.schema';
export { CONFIG_VARIABLES, ConfigError, loadConfig } from './load-config';
