/**
 * The seed walkthrough (shared/seed/03_data.md) for real: Kafka and Apicurio Registry in containers,
 * the seed's messages (keyed strings, JSON, Avro, Protobuf, and an Avro user whose schema id travels
 * in the key), then one consumer that knows none of the types decodes them all; last, the user record
 * typed by the handle `schemawire codegen` generated from schemas/user.avsc (src/generated), sent to
 * and read from a defined topic by a typed producer and consumer. Runs on kafkajs, or
 * on @platformatic/kafka with DEMO_CLIENT=platformatic. Exits 3, having printed one line, when the
 * containers cannot start, so `make demo` can fall back to the offline walkthrough.
 */
import { readFile } from 'node:fs/promises';
import type { PayloadSerializer, Schema, SchemaIdCarrier } from '@schemawire/core-client';
import {
  Deserializer,
  SchemalessSerializer,
  SchemaResolver,
  Serializer,
  schemaTypeOfFile,
} from '@schemawire/core-client';
// The topic definitions of both adapters are one, kafka-common's.
import { defineTopic } from '@schemawire/kafkajs';
import { avroFormat } from '@schemawire/serdes-avro';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { protobufFormat } from '@schemawire/serdes-protobuf';
import type { Stack } from '@schemawire/testcontainers';
import { resolveImages, startStack } from '@schemawire/testcontainers';
import type { UserInput } from './generated/user.js';
import { User } from './generated/user.js';
import { kafkajsClient } from './kafkajs-client.js';
import { platformaticClient } from './platformatic-client.js';
import type { Received, WalkthroughClient } from './walkthrough-client.js';

/** The exit code that tells `make demo` the containers could not start. */
const NO_CONTAINERS = 3;

/** The Kafka clients the walkthrough runs on, by the DEMO_CLIENT value that picks them. */
const CLIENTS: Readonly<
  Record<string, { readonly name: string; readonly create: (stack: Stack) => WalkthroughClient }>
> = {
  kafkajs: { name: 'kafkajs', create: kafkajsClient },
  platformatic: { name: '@platformatic/kafka', create: platformaticClient },
};

const FORMATS = [avroFormat(), protobufFormat(), jsonSchemaFormat()];
const USER: UserInput = { first_name: 'John', last_name: 'Doe', age: 30 };
const MY_MESSAGE = { id: 1, name: 'John Doe', age: 30 };
const PROTOBUF_TYPE = 'io.schemawire.example.MyMessage';

// The seed's topics. The key-carried user (step 5) goes to avro_topic_test, not example_topic: the
// keyed strings' keys 0..3 are decimal numbers, which a consumer reading schema ids from keys would
// take for schema ids 0..3. A topic's keys are either schema ids or keys of their own, so the consumer
// below looks for schema ids in the keys of avro_topic_test only, whose other message has no key.
const STRING_TOPIC = 'example_topic';
const AVRO_TOPIC = 'avro_topic_test';
const PROTOBUF_TOPIC = 'my_topic';
const TOPICS = [STRING_TOPIC, AVRO_TOPIC, PROTOBUF_TOPIC];
const KEY_CARRIER_TOPICS: ReadonlySet<string> = new Set([AVRO_TOPIC]);
// The typed flow's topic: its values are written with the User handle and take its input type.
const TYPED_USERS = defineTopic('typed_users', { value: User });

const CARRIER_PLACES: Readonly<Record<SchemaIdCarrier, string>> = {
  prefix: 'in the value prefix',
  'confluent-header': 'in the __value_schema_id header',
  'apicurio-header': 'in the apicurio.value.contentId header',
  key: 'in the key',
};

const say = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

/** A schema file of the repository's schemas/ folder. */
async function schemaFile(name: string): Promise<Schema> {
  const schema = await readFile(new URL(`../../schemas/${name}`, import.meta.url), 'utf8');
  return { schemaType: schemaTypeOfFile(name)!, schema };
}

/** The value as the seed prints it: text as it is, anything else as JSON. */
const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

async function main(): Promise<number> {
  const choice = process.env['DEMO_CLIENT'] || 'kafkajs';
  const client = CLIENTS[choice];
  if (client === undefined) {
    process.stderr.write(
      `cannot run the walkthrough: DEMO_CLIENT is ${JSON.stringify(choice)}, not one of ${JSON.stringify(Object.keys(CLIENTS))}\n`,
    );
    return 2;
  }
  const { kafkaImage, registryImage } = resolveImages({});
  say(`Starting Kafka (${kafkaImage}) and Apicurio Registry (${registryImage}) with Testcontainers...`);
  let stack: Stack;
  try {
    stack = await startStack();
  } catch (error) {
    process.stderr.write(`cannot start Kafka and the registry: ${oneLine(error)}\n`);
    return NO_CONTAINERS;
  }
  const stopOnSignal = () => {
    void stack.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  try {
    say(
      `Kafka at ${stack.brokers.join(',')}, registry at ${stack.confluentApiUrl}; Kafka client ${client.name}`,
    );
    await replaySeed(stack, client.create(stack));
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${oneLine(error)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', stopOnSignal);
    say();
    say('Stopping the containers.');
    await stack.stop();
  }
}

async function replaySeed(stack: Stack, client: WalkthroughClient): Promise<void> {
  await client.createTopics([...TOPICS, TYPED_USERS.name]);

  // Serializers share one resolver; the consumer gets its own, as one in another process would.
  const resolver = new SchemaResolver(stack.registry);
  let sent = 0;
  const send = async (topic: string, serializer: PayloadSerializer, value: unknown, key?: string) => {
    await client.send(topic, serializer, value, key);
    sent += 1;
  };
  const registered = (serializer: Serializer, topic: string) =>
    serializer.prepare(topic).then((schema) => schema.id);

  {
    say();
    say(`1. Keyed strings to ${STRING_TOPIC}`);
    for (let i = 0; i < 4; i++) {
      await send(STRING_TOPIC, new SchemalessSerializer('string'), `message number ${i}`, String(i));
      say(`Sent message: Key=${i}, Value=message number ${i}`);
    }

    say();
    say(`2. JSON to ${STRING_TOPIC}, as the seed sends it and with its JSON Schema registered`);
    await send(STRING_TOPIC, new SchemalessSerializer('json'), MY_MESSAGE);
    say(`Sent message: Value=${shown(MY_MESSAGE)} (schemaless JSON)`);
    const json = new Serializer({
      registry: resolver,
      formats: FORMATS,
      schema: await schemaFile('my_json_message.json'),
    });
    await send(STRING_TOPIC, json, MY_MESSAGE);
    say(
      `Sent message: Value=${shown(MY_MESSAGE)} (JSON Schema schemas/my_json_message.json, schema id ${await registered(json, STRING_TOPIC)})`,
    );

    say();
    say(`3. Avro to ${AVRO_TOPIC}`);
    const avro = new Serializer({
      registry: resolver,
      formats: FORMATS,
      schema: await schemaFile('user.avsc'),
    });
    await send(AVRO_TOPIC, avro, USER);
    say(
      `Sent message: Value=${shown(USER)} (Avro schemas/user.avsc, schema id ${await registered(avro, AVRO_TOPIC)})`,
    );

    say();
    say(`4. Protobuf to ${PROTOBUF_TOPIC}`);
    const protobuf = new Serializer({
      registry: resolver,
      formats: FORMATS,
      schema: await schemaFile('my_message.proto'),
      messageName: PROTOBUF_TYPE,
    });
    await send(PROTOBUF_TOPIC, protobuf, MY_MESSAGE);
    say(
      `Sent message: Value=${shown(MY_MESSAGE)} (Protobuf ${PROTOBUF_TYPE}, schema id ${await registered(protobuf, PROTOBUF_TOPIC)})`,
    );

    say();
    say(`5. Avro to ${AVRO_TOPIC} with the schema id in the key, as the seed suggests`);
    const keyed = new Serializer({
      registry: resolver,
      formats: FORMATS,
      useLatestVersion: true,
      carrier: 'key',
    });
    await send(AVRO_TOPIC, keyed, USER);
    say(
      `Sent message: Key=${await registered(keyed, AVRO_TOPIC)}, Value=${shown(USER)} (the key is the Avro schema id)`,
    );
  }

  say();
  say(`One consumer that knows none of the types reads ${TOPICS.join(', ')}:`);
  for (const line of await decodeAll(client, stack, sent)) say(line);

  say();
  say(
    `6. The user record typed: User from schemas/user.avsc (schemawire codegen schemas --out demo/src/generated), to ${TYPED_USERS.name}`,
  );
  const typed = new Serializer({ registry: resolver, formats: FORMATS, schema: User });
  // { first_name: 'John', lastname: 'Doe', age: 30 } would not compile: 'lastname' does not exist in type 'UserInput'.
  await client.sendTyped(TYPED_USERS, typed, USER);
  say(
    `Sent message: Value=${shown(USER)} (typed by User, schema id ${await registered(typed, TYPED_USERS.name)})`,
  );
  const deserializer = new Deserializer({ registry: stack.registry, formats: FORMATS, schemas: [User] });
  for (const decoded of await client.readTyped(TYPED_USERS, 1, deserializer, 60_000)) {
    if (decoded.typeName === User.typeName) {
      say(`typed user: ${decoded.value.first_name} ${decoded.value.last_name}, ${decoded.value.age}`);
    } else {
      say(`written with another schema: ${shown(decoded.value)}`);
    }
  }
}

/** Reads `count` messages of every topic from the start and describes each, in the order they were sent. */
async function decodeAll(client: WalkthroughClient, stack: Stack, count: number): Promise<string[]> {
  const options = { registry: stack.registry, formats: FORMATS, fallback: 'string' } as const;
  const withKeyIds = new Deserializer({ ...options, keyCarrier: true });
  const withoutKeyIds = new Deserializer(options);
  const deserializerOf = (topic: string) => (KEY_CARRIER_TOPICS.has(topic) ? withKeyIds : withoutKeyIds);
  const received = await client.readAll(TOPICS, count, deserializerOf, 60_000);
  const order = (r: Received) => TOPICS.indexOf(r.topic) * 1e6 + Number(r.offset);
  return received.sort((a, b) => order(a) - order(b)).map(describeReceived);
}

function describeReceived(received: Received): string {
  const key = received.key === null ? '' : `Key=${received.key.toString('utf8')}, `;
  const format =
    received.schemaId === undefined
      ? 'no schema id, read as text'
      : `${received.schemaType}, schema id ${received.schemaId} ${CARRIER_PLACES[received.carrier!]}`;
  return `Decoded ${received.topic} offset ${received.offset}: ${key}Value=${shown(received.value)} (${format})`;
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').trim();
}

// kafkajs 2.2.4 sets timers with negative delays (tulios/kafkajs#1751), which Node 24 warns of; the
// warning means nothing here, so it alone is dropped.
const printWarning = process.listeners('warning')[0];
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') printWarning?.(warning);
});

process.exitCode = await main();
