export { DEFAULT_KAFKA_IMAGE, DEFAULT_REGISTRY_IMAGE, resolveImages } from './images.js';
export type { StackConnection } from './jest-global-setup.js';
export { jestGlobalSetup, jestGlobalTeardown, STACK_ENV, stackFromEnv } from './jest-global-setup.js';
export type { KafkaContainerOptions, KafkaNode, StartedKafka } from './kafka-container.js';
export { startKafka } from './kafka-container.js';
export type { KafkaClientSecurity, KafkaSecurity } from './kafka-security.js';
export type {
  RegistryContainerOptions,
  RegistryTlsOptions,
  StartedSchemaRegistry,
} from './registry-container.js';
export { startSchemaRegistry } from './registry-container.js';
export type { Stack, StackOptions } from './stack.js';
export { startStack } from './stack.js';
export type { TestCertificates } from './test-certificates.js';
export { createTestCertificates } from './test-certificates.js';
