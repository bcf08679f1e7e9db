export type { ProtobufFormatOptions } from './protobuf-format.js';
export { defaultToObjectOptions, protobufFormat } from './protobuf-format.js';
