export type { ConfluentRestAuth, ConfluentRestClientOptions } from './confluent-rest.js';
export { ConfluentRestClient } from './confluent-rest.js';
export type { ConfluentRestServer, ConfluentRestServerOptions } from './confluent-rest-server.js';
export { startConfluentRestServer } from './confluent-rest-server.js';
export type { EmbeddedRegistryOptions } from './embedded-registry.js';
export { EmbeddedRegistry } from './embedded-registry.js';
