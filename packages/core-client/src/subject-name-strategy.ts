import { ErrorCode, SchemaWireError } from './errors.js';

/** What a subject name strategy knows when it names a subject. */
export interface SubjectNameContext {
  readonly topic: string;
  readonly isKey: boolean;
  /** The full name of the schema's main type (Avro record, Protobuf message), when it has one. */
  readonly typeName: string | undefined;
}

/** Names the subject a topic's keys or values are registered under. */
export type SubjectNameStrategy = (context: SubjectNameContext) => string;

/** `<topic>-key` / `<topic>-value`: the default, one schema (and its versions) per topic. */
export const topicNameStrategy: SubjectNameStrategy = ({ topic, isKey }) =>
  `${topic}-${isKey ? 'key' : 'value'}`;

/** The record's full name: one subject per type, shared by every topic that carries it. */
export const recordNameStrategy: SubjectNameStrategy = (context) => requireTypeName(context, 'record');

/** `<topic>-<full name>`: several types per topic, each with its own versions. */
export const topicRecordNameStrategy: SubjectNameStrategy = (context) =>
  `${context.topic}-${requireTypeName(context, 'topic-record')}`;

/** The built-in strategies by the names the options and the CLI use. */
export const subjectNameStrategies = {
  topic: topicNameStrategy,
  record: recordNameStrategy,
  topicRecord: topicRecordNameStrategy,
} as const satisfies Record<string, SubjectNameStrategy>;

function requireTypeName(context: SubjectNameContext, strategy: string): string {
  if (context.typeName === undefined) {
    throw new SchemaWireError(
      ErrorCode.Config,
      `cannot name subject with the ${strategy} strategy: the schema has no named type (topic ${JSON.stringify(context.topic)})`,
      { topic: context.topic },
    );
  }
  return context.typeName;
}
