export { jestGlobalTeardown as default } from '@schemawire/testcontainers';
