import { Buffer } from 'node:buffer';
import {
  AvroDeserializer,
  AvroSerializer,
  SchemaRegistryClient as ConfluentClient,
  SerdeType,
} from '@confluentinc/schemaregistry';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import {
  CONFLUENT_PREFIX_SIZE,
  Deserializer,
  encodeConfluentPrefix,
  Serializer,
} from '@schemawire/core-client';
import { ConfluentRestClient } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';
import avsc from 'avsc';
import { benchAvroSchema, benchRecord, benchSmallAvroSchema, benchSmallRecord } from './bench-record.js';
import type { CodecCase } from './codec-case.js';
import { contender, expectBytes, expectJson, schemawireDecoders, schemawireEncoders } from './codec-case.js';
import { PEER_CONFLUENT, PEER_KAFKAJS } from './peers.js';

const TOPIC = 'bench-avro';
const SMALL_TOPIC = 'bench-avro-small';
/** The peer looks its schema id up under its topic's subject. */
const CONFLUENT_TOPIC = 'bench-avro-confluent';

/** Avro encode and decode of the bench record, against avsc's `toBuffer` / `fromBuffer`. */
export async function avroCases(registryUrl: string): Promise<CodecCase[]> {
  const type = avsc.Type.forSchema(JSON.parse(benchAvroSchema('Raw')) as avsc.Schema);
  const value = benchRecord;
  const decodesTo = (bytes: Buffer, offset: number) =>
    expectJson(type.fromBuffer(bytes.subarray(offset)), value);

  const formats = [avroFormat()];
  const client = new ConfluentRestClient({ baseUrl: registryUrl });
  const serializer = new Serializer({
    registry: client,
    formats,
    schema: { schemaType: 'AVRO', schema: benchAvroSchema() },
  });
  const { id } = await serializer.prepare(TOPIC);
  const deserializer = new Deserializer({ registry: client, formats });
  await deserializer.prepare({ kind: 'id', id });
  const payload = serializer.serializeSync(TOPIC, value).bytes!;
  const body = payload.subarray(CONFLUENT_PREFIX_SIZE);
  const message = { value: payload };

  // Each peer writes and reads records of its own name (see benchAvroSchema), under a schema id of its own.
  const kafkajs = new SchemaRegistry({ host: registryUrl });
  const kafkajsId = (
    await kafkajs.register(
      { type: SchemaType.AVRO, schema: benchAvroSchema('Kafkajs') },
      { subject: `${TOPIC}-kafkajs-value` },
    )
  ).id;
  const kafkajsPayload = encodeConfluentPrefix(kafkajsId, body);
  const confluentClient = new ConfluentClient({ baseURLs: [registryUrl] });
  const confluentId = await confluentClient.register(`${CONFLUENT_TOPIC}-value`, {
    schemaType: 'AVRO',
    schema: benchAvroSchema('Confluent'),
  });
  const confluentSerializer = new AvroSerializer(confluentClient, SerdeType.VALUE, {
    useSchemaId: confluentId,
  });
  const confluentDeserializer = new AvroDeserializer(confluentClient, SerdeType.VALUE, {});
  const confluentPayload = encodeConfluentPrefix(confluentId, body);

  const encode: CodecCase = {
    name: 'avro-encode',
    label: 'Avro encode',
    target: 1.1,
    raw: contender(
      'avsc toBuffer',
      () => type.toBuffer(value),
      (out) => decodesTo(expectBytes(out), 0),
    ),
    ...schemawireEncoders(serializer, TOPIC, value, CONFLUENT_PREFIX_SIZE, decodesTo),
    peers: [
      contender(
        PEER_KAFKAJS,
        () => kafkajs.encode(kafkajsId, value),
        (out) => decodesTo(expectBytes(out), CONFLUENT_PREFIX_SIZE),
        true,
      ),
      contender(
        PEER_CONFLUENT,
        () => confluentSerializer.serialize(CONFLUENT_TOPIC, value),
        (out) => decodesTo(expectBytes(out), CONFLUENT_PREFIX_SIZE),
        true,
      ),
    ],
  };

  const decode: CodecCase = {
    name: 'avro-decode',
    label: 'Avro decode',
    target: 1.1,
    raw: contender(
      'avsc fromBuffer',
      () => type.fromBuffer(body),
      (out) => expectJson(out, value),
    ),
    ...schemawireDecoders(deserializer, message, (out) => expectJson(out, value)),
    peers: [
      contender(
        PEER_KAFKAJS,
        () => kafkajs.decode(kafkajsPayload),
        (out) => expectJson(out, value),
        true,
      ),
      contender(
        PEER_CONFLUENT,
        () => confluentDeserializer.deserialize(CONFLUENT_TOPIC, confluentPayload),
        (out) => expectJson(out, value),
        true,
      ),
    ],
  };
  const scratch = avsc.Type.forSchema(JSON.parse(benchAvroSchema('Scratch')) as avsc.Schema);
  const encodeScratch: CodecCase = {
    name: 'avro-encode-scratch',
    label: 'Avro encode (vs avsc into a reused scratch buffer + one copy)',
    target: 1.1,
    raw: scratchEncoder(scratch, value, (out) => decodesTo(expectBytes(out), 0)),
    ...schemawireEncoders(serializer, TOPIC, value, CONFLUENT_PREFIX_SIZE, decodesTo),
    peers: [],
  };
  return [encode, decode, encodeScratch, ...(await smallCases(client))];
}

/**
 * The two-field record's encode and decode: with so little to write, they measure what schemawire
 * adds to each message (cache lookup, frame, checks, result object).
 */
async function smallCases(client: ConfluentRestClient): Promise<CodecCase[]> {
  const value = benchSmallRecord;
  const type = avsc.Type.forSchema(JSON.parse(benchSmallAvroSchema('Raw')) as avsc.Schema);
  const decodesTo = (bytes: Buffer, offset: number) =>
    expectJson(type.fromBuffer(bytes.subarray(offset)), value);
  const formats = [avroFormat()];
  const serializer = new Serializer({
    registry: client,
    formats,
    schema: { schemaType: 'AVRO', schema: benchSmallAvroSchema() },
  });
  const { id } = await serializer.prepare(SMALL_TOPIC);
  const deserializer = new Deserializer({ registry: client, formats });
  await deserializer.prepare({ kind: 'id', id });
  const payload = serializer.serializeSync(SMALL_TOPIC, value).bytes!;
  const body = payload.subarray(CONFLUENT_PREFIX_SIZE);
  const scratch = avsc.Type.forSchema(JSON.parse(benchSmallAvroSchema('Scratch')) as avsc.Schema);
  return [
    {
      name: 'avro-encode-2-field',
      label: 'Avro encode, 2 fields (vs avsc into a reused scratch buffer + one copy)',
      target: undefined,
      raw: scratchEncoder(scratch, value, (out) => decodesTo(expectBytes(out), 0)),
      ...schemawireEncoders(serializer, SMALL_TOPIC, value, CONFLUENT_PREFIX_SIZE, decodesTo),
      peers: [],
    },
    {
      name: 'avro-decode-2-field',
      label: 'Avro decode, 2 fields',
      target: 1.1,
      raw: contender(
        'avsc fromBuffer',
        () => type.fromBuffer(body),
        (out) => expectJson(out, value),
      ),
      ...schemawireDecoders(deserializer, { value: payload }, (out) => expectJson(out, value)),
      peers: [],
    },
  ];
}

/**
 * The floor of any Avro encoder that returns a buffer of its own: avsc writing into a buffer kept
 * between calls, then one `allocUnsafe` of the exact size and a copy.
 */
function scratchEncoder(type: avsc.Type, value: unknown, check: (out: unknown) => void) {
  const scratch = Buffer.allocUnsafe(1024);
  return contender(
    'avsc encode into scratch + copy',
    () => {
      const end = type.encode(value, scratch, 0);
      const out = Buffer.allocUnsafe(end);
      scratch.copy(out, 0, 0, end);
      return out;
    },
    check,
  );
}
