import { Buffer } from 'node:buffer';
import {
  SchemaRegistryClient as ConfluentClient,
  JsonDeserializer,
  JsonSerializer,
  SerdeType,
} from '@confluentinc/schemaregistry';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { CONFLUENT_PREFIX_SIZE, Deserializer, Serializer } from '@schemawire/core-client';
import { ConfluentRestClient } from '@schemawire/registry-adapter';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { Ajv } from 'ajv';
import { benchJsonSchema, benchRecord } from './bench-record.js';
import type { CodecCase } from './codec-case.js';
import { contender, expectBytes, expectJson, schemawireDecoders, schemawireEncoders } from './codec-case.js';
import { PEER_CONFLUENT, PEER_KAFKAJS } from './peers.js';

const TOPIC = 'bench-json';

/**
 * JSON Schema encode and decode, both validating, against ajv's validate with JSON.stringify and
 * JSON.parse; every contender validates on both sides.
 */
export async function jsonCases(registryUrl: string): Promise<CodecCase[]> {
  const validate = new Ajv({ strict: false }).compile(JSON.parse(benchJsonSchema) as object);
  const value = benchRecord;
  const decodesTo = (bytes: Buffer, offset: number) =>
    expectJson(JSON.parse(bytes.toString('utf8', offset)), value);

  const client = new ConfluentRestClient({ baseUrl: registryUrl });
  const schema = { schemaType: 'JSON', schema: benchJsonSchema } as const;
  const serializer = new Serializer({ registry: client, formats: [jsonSchemaFormat()], schema });
  const { id } = await serializer.prepare(TOPIC);
  const deserializer = new Deserializer({
    registry: client,
    formats: [jsonSchemaFormat({ validateOnDeserialize: true })],
  });
  await deserializer.prepare({ kind: 'id', id });

  const kafkajs = new SchemaRegistry({ host: registryUrl });
  await kafkajs.register({ type: SchemaType.JSON, schema: benchJsonSchema }, { subject: `${TOPIC}-value` });
  const confluentClient = new ConfluentClient({ baseURLs: [registryUrl] });
  const confluentSerializer = new JsonSerializer(confluentClient, SerdeType.VALUE, {
    useSchemaId: id,
    validate: true,
  });
  const confluentDeserializer = new JsonDeserializer(confluentClient, SerdeType.VALUE, { validate: true });

  const payload = serializer.serializeSync(TOPIC, value).bytes!;
  const body = payload.subarray(CONFLUENT_PREFIX_SIZE);
  const message = { value: payload };

  const encode: CodecCase = {
    name: 'json-encode',
    label: 'JSON Schema encode (validating)',
    target: 1.15,
    raw: contender(
      'ajv validate+JSON.stringify',
      () => {
        if (!validate(value)) throw new Error('invalid value');
        return Buffer.from(JSON.stringify(value));
      },
      (out) => decodesTo(expectBytes(out), 0),
    ),
    ...schemawireEncoders(serializer, TOPIC, value, CONFLUENT_PREFIX_SIZE, decodesTo),
    peers: [
      contender(
        PEER_KAFKAJS,
        () => kafkajs.encode(id, value),
        (out) => decodesTo(expectBytes(out), CONFLUENT_PREFIX_SIZE),
        true,
      ),
      contender(
        PEER_CONFLUENT,
        () => confluentSerializer.serialize(TOPIC, value),
        (out) => decodesTo(expectBytes(out), CONFLUENT_PREFIX_SIZE),
        true,
      ),
    ],
  };

  const decode: CodecCase = {
    name: 'json-decode',
    label: 'JSON Schema decode (validating)',
    target: 1.15,
    raw: contender(
      'JSON.parse+ajv validate',
      () => {
        const parsed: unknown = JSON.parse(body.toString('utf8'));
        if (!validate(parsed)) throw new Error('invalid value');
        return parsed;
      },
      (out) => expectJson(out, value),
    ),
    ...schemawireDecoders(deserializer, message, (out) => expectJson(out, value)),
    peers: [
      contender(
        PEER_KAFKAJS,
        () => kafkajs.decode(payload),
        (out) => expectJson(out, value),
        true,
      ),
      contender(
        PEER_CONFLUENT,
        () => confluentDeserializer.deserialize(TOPIC, payload),
        (out) => expectJson(out, value),
        true,
      ),
    ],
  };
  return [encode, decode];
}
