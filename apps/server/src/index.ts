export { type AppDeps, buildApp, createContext } from './app.js';
export { ConfigError, DEFAULT_CONFIG, ENV_VARS, parseServerConfig, ServerConfig } from './config.js';
export type { WeftContext } from './context.js';
export { removeHistoryFiles } from './history/batchJournal.js';
export { type RunningServer, startServer } from './server.js';
export { SERVER_VERSION } from './version.js';
