export type { JsonSchemaFormatOptions } from './json-schema-format.js';
export { jsonSchemaFormat } from './json-schema-format.js';
