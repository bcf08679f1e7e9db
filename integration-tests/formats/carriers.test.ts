import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CarrierOptions, SchemaIdCarrier, SchemaRegistryClient } from '@schemawire/core-client';
import { Deserializer, Serializer } from '@schemawire/core-client';
import type { User } from '../support/format-cases.js';
import { formatCases } from '../support/format-cases.js';
import { KafkaHarness, uniqueName } from '../support/kafka-harness.js';

const harness = new KafkaHarness();

beforeAll(async () => {
  await harness.start();
});

afterAll(() => harness.close());

/** One way of carrying the schema id, and the user sent that way. */
interface Row {
  readonly carrier: SchemaIdCarrier;
  readonly options: CarrierOptions;
  readonly registry: () => SchemaRegistryClient;
  readonly value: User;
}

const rows: readonly Row[] = [
  {
    carrier: 'prefix',
    options: {},
    registry: () => harness.registry(),
    value: { first_name: 'Ada', last_name: 'Lovelace', age: 36 },
  },
  {
    carrier: 'confluent-header',
    options: {},
    registry: () => harness.registry(),
    value: { first_name: 'Alan', last_name: 'Turing', age: 41 },
  },
  {
    carrier: 'apicurio-header',
    options: { apicurioId: 'contentId' },
    registry: () => harness.registry(),
    value: { first_name: 'Grace', last_name: 'Hopper', age: 85 },
  },
  {
    // Only Apicurio's own API gives globalIds.
    carrier: 'apicurio-header',
    options: { apicurioId: 'globalId' },
    registry: () => harness.apicurioRegistry(),
    value: { first_name: 'Edsger', last_name: 'Dijkstra', age: 72 },
  },
  {
    carrier: 'key',
    options: {},
    registry: () => harness.registry(),
    value: { first_name: 'Barbara', last_name: 'Liskov', age: 86 },
  },
];

/** An id as Apicurio's serdes write it: an 8-byte big-endian long. */
function apicurioLong(id: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(BigInt(id));
  return bytes;
}

describe.each(formatCases)(
  'formats > $name > carriers > matrix',
  ({ format, schemaType, indexes, userV1 }) => {
    const formats = [format];

    it('one consumer with the key carrier on decodes a message of each carrier', async () => {
      const topic = await harness.topic();
      const subject = `${topic}-value`;
      // The content exists before the topic's version, and decoy versions of it push the globalId
      // counter past its contentId, so the topic's version has a globalId unlike its contentId: a consumer
      // that took one for the other would resolve the wrong schema.
      for (let tries = 0; ; tries++) {
        const decoy = await harness.apicurioRegistry().register(uniqueName('decoy'), userV1);
        if (decoy.globalId !== undefined && decoy.globalId >= decoy.id) break;
        if (tries === 100) throw new Error(`cannot separate globalIds from contentId ${decoy.id}`);
      }
      for (const { carrier, options, registry, value } of rows) {
        const values = new Serializer({ registry: registry(), formats, schema: userV1, carrier, ...options });
        await (await harness.schemaProducer({ value: values })).send({ topic, messages: [{ value }] });
      }
      const { id, globalId } = await harness.apicurioRegistry().lookup(subject, userV1);
      expect(globalId).toBeDefined();
      expect(globalId).not.toBe(id);

      // Apicurio's own API, as only it resolves globalIds; the other carriers name the contentId.
      const deserializer = new Deserializer({
        registry: harness.apicurioRegistry(),
        formats,
        keyCarrier: true,
      });
      const read = await harness.read(topic, rows.length, { value: deserializer });
      expect(
        read.map(({ decoded: { value, schemaId, schemaType, carrier } }) => ({
          value,
          schemaId,
          schemaType,
          carrier,
        })),
      ).toEqual(rows.map(({ value, carrier }) => ({ value, schemaId: id, schemaType, carrier })));

      const [prefix, confluentHeader, contentIdHeader, globalIdHeader, key] = read.map(
        ({ message }) => message,
      );
      const idForm = Buffer.alloc(5);
      idForm.writeUInt32BE(id, 1);
      // Protobuf's message indexes follow the id wherever the id is (`00`: the file's first message),
      // and open the value where the id travels outside it.
      const framed = Buffer.concat([idForm, indexes]);
      expect(prefix!.value!.subarray(0, framed.length)).toEqual(framed);
      expect(prefix!.headers).toEqual({});
      // Apicurio has no GUIDs: the 0x00 + 4-byte id form, which Confluent's deserializers read too.
      expect(confluentHeader!.headers).toEqual({ __value_schema_id: framed });
      expect(contentIdHeader!.headers).toEqual({ 'apicurio.value.contentId': apicurioLong(id) });
      expect(contentIdHeader!.value!.subarray(0, indexes.length)).toEqual(indexes);
      expect(globalIdHeader!.headers).toEqual({ 'apicurio.value.globalId': apicurioLong(globalId!) });
      expect(globalIdHeader!.value!.subarray(0, indexes.length)).toEqual(indexes);
      expect(key!.key).toEqual(Buffer.from(String(id)));
      expect(key!.headers).toEqual({});
      expect(key!.value!.subarray(0, indexes.length)).toEqual(indexes);
    });
  },
);
