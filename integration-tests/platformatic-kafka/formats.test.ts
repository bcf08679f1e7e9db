import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SchemaIdCarrier } from '@schemawire/core-client';
import { Deserializer, Serializer } from '@schemawire/core-client';
import { formatCases } from '../support/format-cases.js';
import { KafkaHarness } from '../support/kafka-harness.js';
import { PlatformaticHarness } from './platformatic-harness.js';

const kafka = new KafkaHarness();
const platformatic = new PlatformaticHarness();

beforeAll(() => kafka.start());
afterAll(async () => {
  await platformatic.close();
  await kafka.close();
});

const carriers: readonly SchemaIdCarrier[] = ['prefix', 'confluent-header', 'apicurio-header', 'key'];

describe.each(formatCases)('platformatic-kafka > formats > $name', ({ format, schemaType, userV1 }) => {
  it('writes a value with every carrier through Apicurio, and one consumer decodes them all', async () => {
    const topic = await kafka.topic();
    const formats = [format];
    for (const [age, carrier] of carriers.entries()) {
      const producer = platformatic.schemaProducer({
        value: new Serializer({ registry: kafka.apicurioRegistry(), formats, schema: userV1, carrier }),
      });
      await producer.send({ messages: [{ topic, value: { first_name: 'Ada', last_name: carrier, age } }] });
    }
    const { consumer, arrivals } = await platformatic.consume(topic, {
      value: new Deserializer({ registry: kafka.apicurioRegistry(), formats, keyCarrier: true }),
    });
    const read = await arrivals.waitFor(carriers.length);
    await consumer.stop();
    expect(read.map(({ decoded }) => [decoded.value, decoded.schemaType, decoded.carrier])).toEqual(
      carriers.map((carrier, age) => [{ first_name: 'Ada', last_name: carrier, age }, schemaType, carrier]),
    );
  });
});
