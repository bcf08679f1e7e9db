import { Buffer } from 'node:buffer';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import {
  CONFLUENT_PREFIX_SIZE,
  Deserializer,
  encodeConfluentPrefix,
  Serializer,
} from '@schemawire/core-client';
import { ConfluentRestClient } from '@schemawire/registry-adapter';
import { defaultToObjectOptions, protobufFormat } from '@schemawire/serdes-protobuf';
import protobuf from 'protobufjs';
import {
  benchProtoMessage,
  benchProtoObject,
  benchProtoSchema,
  benchRecord,
  benchSmallProtoMessage,
  benchSmallProtoObject,
  benchSmallProtoSchema,
  benchSmallRecord,
} from './bench-record.js';
import type { CodecCase } from './codec-case.js';
import { contender, expectBytes, expectJson, schemawireDecoders, schemawireEncoders } from './codec-case.js';
import { PEER_KAFKAJS } from './peers.js';

const TOPIC = 'bench-protobuf';
const SMALL_TOPIC = 'bench-protobuf-small';
/** The prefix and the one-byte message indexes of the file's first message. */
const FRAME_SIZE = CONFLUENT_PREFIX_SIZE + 1;

/**
 * Protobuf encode (plain object in) and decode, to plain objects and to message instances, against
 * protobufjs's fromObject + encode, decode + toObject and decode. @confluentinc/schemaregistry takes
 * protobuf-es messages only, so it has no contender here.
 */
export async function protobufCases(registryUrl: string): Promise<CodecCase[]> {
  const type = protobuf.parse(benchProtoSchema('Raw')).root.lookupType(benchProtoMessage('Raw'));
  const toObject = (message: protobuf.Message) => type.toObject(message, defaultToObjectOptions);
  const value = benchRecord;
  const decodesTo = (bytes: Buffer, offset: number) =>
    expectJson(toObject(type.decode(bytes.subarray(offset))), benchProtoObject);

  const client = new ConfluentRestClient({ baseUrl: registryUrl });
  const schema = { schemaType: 'PROTOBUF', schema: benchProtoSchema() } as const;
  const serializer = new Serializer({ registry: client, formats: [protobufFormat()], schema });
  const { id } = await serializer.prepare(TOPIC);
  const toObjects = new Deserializer({ registry: client, formats: [protobufFormat()] });
  const toInstances = new Deserializer({ registry: client, formats: [protobufFormat({ toObject: false })] });
  await toObjects.prepare({ kind: 'id', id });
  await toInstances.prepare({ kind: 'id', id });

  // The peer reads and writes messages of its own name (see benchProtoSchema), under a schema id of its own.
  const kafkajs = new SchemaRegistry({ host: registryUrl });
  const kafkajsId = (
    await kafkajs.register(
      { type: SchemaType.PROTOBUF, schema: benchProtoSchema('Kafkajs') },
      { subject: `${TOPIC}-kafkajs-value` },
    )
  ).id;
  // The peer checks values with protobufjs's verify, which takes enums by number only.
  const kafkajsValue = { ...value, status: type.lookupEnum('Status').values['ACTIVE'] };

  const payload = serializer.serializeSync(TOPIC, value).bytes!;
  const body = payload.subarray(FRAME_SIZE);
  const message = { value: payload };
  const kafkajsPayload = encodeConfluentPrefix(kafkajsId, payload.subarray(CONFLUENT_PREFIX_SIZE));

  const encode: CodecCase = {
    name: 'protobuf-encode',
    label: 'Protobuf encode (fromObject + encode)',
    target: 1.15,
    raw: contender(
      'protobufjs fromObject+encode',
      () => type.encode(type.fromObject(value)).finish(),
      (out) => decodesTo(Buffer.from(out as Uint8Array), 0),
    ),
    ...schemawireEncoders(serializer, TOPIC, value, FRAME_SIZE, decodesTo),
    peers: [
      contender(
        PEER_KAFKAJS,
        () => kafkajs.encode(kafkajsId, kafkajsValue),
        // The peer writes no message indexes: its body follows the prefix.
        (out) => decodesTo(expectBytes(out), CONFLUENT_PREFIX_SIZE),
        true,
      ),
    ],
  };

  const decodeObject: CodecCase = {
    name: 'protobuf-decode',
    label: 'Protobuf decode + toObject',
    target: 1.2,
    raw: contender(
      'protobufjs decode+toObject',
      () => toObject(type.decode(body)),
      (out) => expectJson(out, benchProtoObject),
    ),
    ...schemawireDecoders(toObjects, message, (out) => expectJson(out, benchProtoObject)),
    peers: [],
  };

  const isInstanceOfRecord = (out: unknown) =>
    expectJson(toObject(out as protobuf.Message), benchProtoObject);
  const decodeInstance: CodecCase = {
    name: 'protobuf-decode-instance',
    label: 'Protobuf decode (to message instance)',
    target: 1.2,
    raw: contender('protobufjs decode', () => type.decode(body), isInstanceOfRecord),
    ...schemawireDecoders(toInstances, message, isInstanceOfRecord),
    peers: [contender(PEER_KAFKAJS, () => kafkajs.decode(kafkajsPayload), isInstanceOfRecord, true)],
  };
  return [encode, decodeObject, decodeInstance, ...(await smallCases(client))];
}

/**
 * The two-field message's encode and decodes: with so little to write, they measure what schemawire
 * adds to each message (cache lookup, frame, checks, result object).
 */
async function smallCases(client: ConfluentRestClient): Promise<CodecCase[]> {
  const type = protobuf.parse(benchSmallProtoSchema('Raw')).root.lookupType(benchSmallProtoMessage('Raw'));
  const toObject = (message: protobuf.Message) => type.toObject(message, defaultToObjectOptions);
  const value = benchSmallRecord;
  const expected = benchSmallProtoObject;
  const decodesTo = (bytes: Buffer, offset: number) =>
    expectJson(toObject(type.decode(bytes.subarray(offset))), expected);
  const schema = { schemaType: 'PROTOBUF', schema: benchSmallProtoSchema() } as const;
  const serializer = new Serializer({ registry: client, formats: [protobufFormat()], schema });
  const { id } = await serializer.prepare(SMALL_TOPIC);
  const toObjects = new Deserializer({ registry: client, formats: [protobufFormat()] });
  const toInstances = new Deserializer({ registry: client, formats: [protobufFormat({ toObject: false })] });
  await toObjects.prepare({ kind: 'id', id });
  await toInstances.prepare({ kind: 'id', id });
  const payload = serializer.serializeSync(SMALL_TOPIC, value).bytes!;
  const body = payload.subarray(FRAME_SIZE);
  const message = { value: payload };
  const isInstanceOfRecord = (out: unknown) => expectJson(toObject(out as protobuf.Message), expected);
  return [
    {
      name: 'protobuf-encode-2-field',
      label: 'Protobuf encode, 2 fields (fromObject + encode)',
      target: 1.2,
      raw: contender(
        'protobufjs fromObject+encode',
        () => type.encode(type.fromObject(value)).finish(),
        (out) => decodesTo(Buffer.from(out as Uint8Array), 0),
      ),
      ...schemawireEncoders(serializer, SMALL_TOPIC, value, FRAME_SIZE, decodesTo),
      peers: [],
    },
    {
      name: 'protobuf-decode-2-field',
      label: 'Protobuf decode + toObject, 2 fields',
      target: 1.2,
      raw: contender(
        'protobufjs decode+toObject',
        () => toObject(type.decode(body)),
        (out) => expectJson(out, expected),
      ),
      ...schemawireDecoders(toObjects, message, (out) => expectJson(out, expected)),
      peers: [],
    },
    {
      name: 'protobuf-decode-instance-2-field',
      label: 'Protobuf decode (to message instance), 2 fields',
      target: 1.3,
      raw: contender('protobufjs decode', () => type.decode(body), isInstanceOfRecord),
      ...schemawireDecoders(toInstances, message, isInstanceOfRecord),
      peers: [],
    },
  ];
}
