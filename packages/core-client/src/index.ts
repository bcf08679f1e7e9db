export { LruCache, SingleFlight } from './cache.js';
export { checkCompatibility, noVersionsYet } from './compatibility.js';
export type {
  DecodedSchemaType,
  Deserialized,
  DeserializedSchema,
  DeserializerOptions,
  IncomingMessage,
  SchemalessCodec,
  SchemalessFallback,
  UntypedDeserialized,
} from './deserializer.js';
export { Deserializer, schemalessFallbacks } from './deserializer.js';
export type { ErrorContext, SchemaWireErrorOptions } from './errors.js';
export {
  describeValue,
  ErrorCode,
  escapeControlCharacters,
  isSchemaWireError,
  jsonText,
  registryAnswerFor,
  registryError,
  SchemaWireError,
  wrapError,
} from './errors.js';
export { parseJsonExactly, stringifyJsonExactly } from './exact-json.js';
export type { MessageHeaders } from './headers.js';
export { lastHeader } from './headers.js';
export type {
  CompatibilityLevel,
  CompatibilityResult,
  RegisteredSchema,
  ResolvedDependency,
  ResolvedSchema,
  ResolvedSchemaOptions,
  Schema,
  SchemaId,
  SchemaReference,
  SchemaType,
} from './schema.js';
export {
  CompatibilityLevels,
  isCompatibilityLevel,
  resolvedSchema,
  schemaIdKey,
  schemaTypeOfFile,
  schemaTypesByFileExtension,
} from './schema.js';
export type { CompileOptions, Longs, SchemaCodec, SchemaFormat } from './schema-format.js';
export { longsModes } from './schema-format.js';
export { SchemaFormats } from './schema-formats.js';
export type { AnySchemaHandle, InputOf, SchemaHandle, TypedValue, ValueOf } from './schema-handle.js';
export { isSchemaHandle } from './schema-handle.js';
export type { CarrierOptions, Frame, Located, LocateOptions, SchemaIdCarrier } from './schema-id-carrier.js';
export { buildFrame, locateSchemaId, readLocatedIndexes, schemaIdCarriers } from './schema-id-carrier.js';
export type {
  DeleteOptions,
  LookupOptions,
  RegisterOptions,
  SchemaRegistryClient,
  SubjectVersion,
} from './schema-registry.js';
export type { SchemaResolverOptions } from './schema-resolver.js';
export { SchemaResolver } from './schema-resolver.js';
export type { PayloadSerializer } from './schemaless.js';
export { SchemalessSerializer } from './schemaless.js';
export type { SerializedPayload, SerializerOptions } from './serializer.js';
export { Serializer } from './serializer.js';
export type { SubjectNameContext, SubjectNameStrategy } from './subject-name-strategy.js';
export {
  recordNameStrategy,
  subjectNameStrategies,
  topicNameStrategy,
  topicRecordNameStrategy,
} from './subject-name-strategy.js';
export type { TlsCertificateProblem } from './tls-certificate-errors.js';
export { tlsCertificateProblem } from './tls-certificate-errors.js';
export {
  apicurioHeaderNames,
  decodeApicurioId,
  encodeApicurioId,
  readApicurioHeaders,
} from './wire/apicurio-header.js';
export {
  CONFLUENT_HEADER_GUID_VERSION,
  CONFLUENT_HEADER_ID_VERSION,
  CONFLUENT_KEY_SCHEMA_ID_HEADER,
  CONFLUENT_VALUE_SCHEMA_ID_HEADER,
  decodeConfluentHeader,
  encodeConfluentHeader,
} from './wire/confluent-header.js';
export {
  CONFLUENT_MAGIC_BYTE,
  CONFLUENT_PREFIX_SIZE,
  encodeConfluentPrefix,
  hasConfluentPrefix,
  readConfluentPrefix,
  writeConfluentPrefix,
} from './wire/confluent-prefix.js';
export { readGuid, writeGuid } from './wire/guid.js';
export type { KeyIdCodec } from './wire/key-carrier.js';
export { decimalKeyIdCodec } from './wire/key-carrier.js';
export {
  encodeMessageIndexes,
  messageIndexesSize,
  readMessageIndexes,
  writeMessageIndexes,
} from './wire/message-indexes.js';
