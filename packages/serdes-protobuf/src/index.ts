export type { ProtobufFormatOptions } from './protobuf-format.js';
export { defaultToObjectOptions, protobufFormat, protobufSchemaRoot } from './protobuf-format.js';
