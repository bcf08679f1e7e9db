// One member of a consumer group, in a process of its own so that a test can kill it with SIGKILL: it
// reads a topic through a SchemaConsumer of the given client ("kafkajs" or "platformatic-kafka") and
// prints one line per handled message, "<partition> <offset> <first_name>", "ready" once it joined the
// group, "crash <error>" when its consumer crashed and "warn <message>" for each warning the
// SchemaConsumer logged, and each error (a stream opened again, a rejoin that failed). Arguments: client, brokers, registry URL,
// topic, group.
import { writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Consumer } from '@platformatic/kafka';
import { Deserializer, SchemaResolver } from '@schemawire/core-client';
import { consumerRetry, SchemaConsumer as KafkajsSchemaConsumer } from '@schemawire/kafkajs';
import { SchemaConsumer as PlatformaticSchemaConsumer } from '@schemawire/platformatic-kafka';
import { ConfluentRestClient } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';
import { Kafka, logLevel } from 'kafkajs';

const [client, brokers, registryUrl, topic, groupId] = process.argv.slice(2);
const value = new Deserializer({
  registry: new SchemaResolver(new ConfluentRestClient({ baseUrl: registryUrl })),
  formats: [avroFormat()],
});
// Written at once, before the handler returns, so a line is never lost with a handled message.
const print = (line) => writeSync(1, `${line}\n`);
const crashed = (error) => print(`crash ${error.name}: ${error.message}`);
let handled = 0;
const handle = async (partition, offset, decoded) => {
  print(`${partition} ${offset} ${decoded.value.first_name}`);
  // Slow enough that the group is still at work when the test kills a member and a broker.
  if (++handled % 20 === 0) await sleep(5);
};
const groupTimeouts = { sessionTimeout: 10_000, heartbeatInterval: 1_000 };

/** Starts consuming; resolves to what stops the consumer and leaves the group. */
async function kafkajsMember() {
  const kafka = new Kafka({
    clientId: `member-${process.pid}`,
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const consumer = new KafkajsSchemaConsumer(
    // Patient enough to ride out the time the cluster takes to move a killed broker's leaders and
    // the group's coordinator.
    kafka.consumer({ groupId, ...groupTimeouts, maxWaitTimeInMs: 200, retry: consumerRetry }),
    { value },
  );
  consumer.consumer.on(consumer.consumer.events.GROUP_JOIN, () => print('ready'));
  // kafkajs restarts a consumer that crashed, leaving the group and joining it again.
  consumer.consumer.on(consumer.consumer.events.CRASH, ({ payload }) => crashed(payload.error));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: ({ partition, message, decoded }) => handle(partition, message.offset, decoded),
  });
  return () => consumer.disconnect();
}

async function platformaticMember() {
  const raw = new Consumer({
    clientId: `member-${process.pid}`,
    groupId,
    bootstrapBrokers: brokers.split(','),
    ...groupTimeouts,
    rebalanceTimeout: 10_000,
    maxWaitTime: 200,
  });
  raw.on('consumer:group:join', () => print('ready'));
  // At most 1000 handled messages uncommitted, as the kafkajs member, which commits every 1000: the
  // suite bounds duplicates by what a member leaves uncommitted (the default is 10,000).
  const consumer = new PlatformaticSchemaConsumer(raw, {
    value,
    logger,
    onCrash: crashed,
    commitThreshold: 1_000,
  });
  await consumer.consume({
    topics: [topic],
    mode: 'committed',
    fallbackMode: 'earliest',
    eachMessage: ({ partition, message, decoded }) => handle(partition, message.offset, decoded),
  });
  return () => consumer.close();
}

// A warning or an error names what caused it: a stream opened again after a broker went, a rejoin that
// failed, a partition stopped at a message it could not decode.
const logged = (message, fields) => print(`warn ${message}${fields?.error ? `: ${fields.error}` : ''}`);
const logger = { info() {}, warn: logged, error: logged };
const stop = await (client === 'kafkajs' ? kafkajsMember() : platformaticMember());
process.on('SIGTERM', async () => {
  await stop();
  process.exit(0);
});
