export type { AvroFormatOptions } from './avro-format.js';
export { avroFormat, avroSchemaType } from './avro-format.js';
export type { JsonUnions } from './json-values.js';
