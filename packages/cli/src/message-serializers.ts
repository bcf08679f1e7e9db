import type { PayloadSerializer, Schema, SchemaFormat, SchemaType } from '@schemawire/core-client';
import {
  ErrorCode,
  SchemalessSerializer,
  SchemaResolver,
  SchemaWireError,
  Serializer,
} from '@schemawire/core-client';
import { carriers, parseApicurioId, parseCarrier } from './carrier-option.js';
import type { CliIo } from './cli-io.js';
import { oneOf, UsageError } from './command.js';
import { formatsForUnions, unionsChoices } from './formats.js';
import { noRegistry } from './no-registry.js';
import { RawCodec } from './raw-codec.js';
import type { RegistryOptions } from './registry-option.js';
import { isRegistryNamed, openNamedRegistry } from './registry-option.js';
import { inlineSchema, readSchemaFile } from './schema-file.js';
import { withSubjectHint } from './subject-hint.js';

/** The options of `produce` that say how values and keys are written. */
export interface SerializerOptions extends RegistryOptions {
  readonly subject?: string | undefined;
  readonly schema?: string | undefined;
  readonly 'schema-text'?: string | undefined;
  readonly type?: string | undefined;
  readonly reference?: readonly string[] | undefined;
  readonly message?: string | undefined;
  readonly format?: string | undefined;
  readonly raw?: boolean | undefined;
  readonly carrier?: string | undefined;
  readonly 'apicurio-id'?: string | undefined;
  readonly 'key-format'?: string | undefined;
  readonly 'key-subject'?: string | undefined;
  readonly unions?: string | undefined;
}

/** How keys are written: without a schema, or with the latest schema of the key subject, of this type. */
const keyFormats = {
  string: undefined,
  json: undefined,
  avro: 'AVRO',
  protobuf: 'PROTOBUF',
  'json-schema': 'JSON',
} as const satisfies Record<string, SchemaType | undefined>;

/** The value and key serializers the options ask for, with their schemas ready. */
export async function openSerializers(
  values: SerializerOptions,
  io: CliIo,
  topic: string,
): Promise<{ value: PayloadSerializer; key: PayloadSerializer; stringKeys: boolean }> {
  const keyFormat = oneOf(
    'key-format',
    values['key-format'] ?? 'string',
    Object.keys(keyFormats) as (keyof typeof keyFormats)[],
  );
  const keyType = keyFormats[keyFormat];
  const formats = formatsForUnions(oneOf('unions', values.unions ?? 'unwrapped', unionsChoices));
  if (keyType === undefined && values['key-subject'] !== undefined) {
    throw new UsageError(
      `cannot produce messages: --key-subject needs a --key-format with a schema, not ${JSON.stringify(keyFormat)}`,
    );
  }
  if (values.schema !== undefined && values['schema-text'] !== undefined) {
    throw new UsageError('cannot produce messages: give --schema or --schema-text, not both');
  }
  const schemaSource = values.schema ?? values['schema-text'];
  const schemaless = values.format;
  if (schemaless !== undefined) {
    const conflicting = (
      ['subject', 'schema', 'schema-text', 'message', 'carrier', 'apicurio-id', 'raw'] as const
    ).find((name) => values[name] !== undefined);
    if (conflicting !== undefined) {
      throw new UsageError(
        `cannot produce messages: --format writes without a schema, so --${conflicting} does not apply`,
      );
    }
  } else if (values.subject === undefined && schemaSource === undefined) {
    throw new UsageError(
      'cannot produce messages: give --subject, --schema, --schema-text or --format to say how values are written',
    );
  }
  if (schemaSource === undefined && (values.type !== undefined || values.reference !== undefined)) {
    throw new UsageError('cannot produce messages: --type and --reference describe the --schema file');
  }
  const raw = values.raw === true;
  if (raw && (values.carrier !== undefined || values['apicurio-id'] !== undefined)) {
    throw new UsageError(
      'cannot produce messages: --raw writes no schema id, so no --carrier or --apicurio-id',
    );
  }
  if (raw && schemaSource !== undefined && values.subject !== undefined) {
    throw new UsageError(
      'cannot produce messages: --raw with --schema registers nothing, so --subject does not apply',
    );
  }
  const carrierName = parseCarrier(values.carrier);
  const carrier = carriers[carrierName];
  const apicurioId = parseApicurioId(values['apicurio-id'], carrierName);
  if (carrier === 'key' && keyFormat !== 'string') {
    throw new UsageError(
      'cannot produce messages: the key carrier puts the schema id in the key, so --key-format does not apply',
    );
  }

  // The registry is opened only when a schema is used: schemaless runs need none, nor raw runs with a
  // schema file (unless it has references, which the refusing stand-in then says).
  const rawFileOnly = raw && schemaSource !== undefined && keyType === undefined;
  const resolver =
    schemaless !== undefined && keyType === undefined
      ? undefined
      : new SchemaResolver(
          rawFileOnly && !isRegistryNamed(values, io)
            ? noRegistry('cannot produce messages')
            : openNamedRegistry(values, io, 'cannot produce messages'),
        );
  const messageName = values.message === undefined ? {} : { messageName: values.message };
  let value: PayloadSerializer;
  if (schemaless !== undefined) {
    value = new SchemalessSerializer(oneOf('format', schemaless, ['string', 'json']));
  } else if (raw) {
    value = await openRawSerializer(values, io, resolver!, formats);
  } else {
    const subject = values.subject;
    const strategy = subject === undefined ? {} : { subjectNameStrategy: () => subject };
    value =
      schemaSource === undefined
        ? new Serializer({
            registry: resolver!,
            formats,
            useLatestVersion: true,
            carrier,
            ...apicurioId,
            jsonValues: true,
            ...strategy,
            ...messageName,
          })
        : new Serializer({
            registry: resolver!,
            formats,
            schema: await givenSchema(values, io),
            autoRegister: true,
            carrier,
            ...apicurioId,
            jsonValues: true,
            ...strategy,
            ...messageName,
          });
  }
  // Fetched before any line is read, so a missing subject fails the run, not its first line.
  const subject = values.subject;
  if (subject === undefined || resolver === undefined) await value.prepare(topic);
  else await withSubjectHint(resolver.registry, subject, () => value.prepare(topic));
  if (keyType === undefined) {
    const stringKeys = keyFormat === 'string';
    return { value, key: new SchemalessSerializer(stringKeys ? 'string' : 'json'), stringKeys };
  }
  const keySubject = values['key-subject'];
  const key = new Serializer({
    registry: resolver!,
    formats,
    isKey: true,
    useLatestVersion: true,
    jsonValues: true,
    ...(keySubject === undefined ? {} : { subjectNameStrategy: () => keySubject }),
  });
  const keySchema = await key.prepare(topic);
  if (keySchema.schemaType !== keyType) {
    throw new SchemaWireError(
      ErrorCode.Config,
      `cannot produce messages: --key-format ${keyFormat} needs a ${keyType} key schema, but the schema of subject ${JSON.stringify(keySubject ?? `${topic}-key`)} is ${keySchema.schemaType}`,
    );
  }
  return { value, key, stringKeys: false };
}

// The schema of --schema (a file) or --schema-text (the text itself, of the --type given).
function givenSchema(values: SerializerOptions, io: CliIo): Promise<Schema> {
  const text = values['schema-text'];
  return text === undefined
    ? readSchemaFile(values.schema!, values, io)
    : Promise.resolve(inlineSchema(text, values));
}

// The schema file, or the latest schema of the subject, writing bare bodies.
async function openRawSerializer(
  values: SerializerOptions,
  io: CliIo,
  resolver: SchemaResolver,
  formats: readonly SchemaFormat[],
): Promise<RawCodec> {
  const options = { formats, messageName: values.message };
  if (values.schema !== undefined || values['schema-text'] !== undefined) {
    const source =
      values.schema === undefined
        ? 'the --schema-text schema'
        : `schema file ${JSON.stringify(values.schema)}`;
    return RawCodec.open(await givenSchema(values, io), source, resolver, options);
  }
  const subject = values.subject!;
  const { schema } = await resolver.version(subject, 'latest');
  const source = `the schema of subject ${JSON.stringify(subject)} version ${schema.version}`;
  return RawCodec.open(schema, source, resolver, options);
}
