// One member of a consumer group, in a process of its own so that a test can kill it with SIGKILL: it
// reads a topic through a SchemaConsumer and prints one line per handled message, "<partition> <offset>
// <first_name>", then "ready" once it joined the group. Arguments: brokers, registry URL, topic, group.
import { writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Deserializer, SchemaResolver } from '@schemawire/core-client';
import { consumerRetry, SchemaConsumer } from '@schemawire/kafkajs';
import { ConfluentRestClient } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';
import { Kafka, logLevel } from 'kafkajs';

const [brokers, registryUrl, topic, groupId] = process.argv.slice(2);
const kafka = new Kafka({
  clientId: `member-${process.pid}`,
  brokers: brokers.split(','),
  logLevel: logLevel.NOTHING,
});
const consumer = new SchemaConsumer(
  kafka.consumer({
    groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxWaitTimeInMs: 200,
    // Patient enough to ride out the time the cluster takes to move a killed broker's leaders and
    // the group's coordinator.
    retry: consumerRetry,
  }),
  {
    value: new Deserializer({
      registry: new SchemaResolver(new ConfluentRestClient({ baseUrl: registryUrl })),
      formats: [avroFormat()],
    }),
  },
);
// Written at once, before the handler returns, so a line is never lost with a handled message.
const print = (line) => writeSync(1, `${line}\n`);
consumer.consumer.on(consumer.consumer.events.GROUP_JOIN, () => print('ready'));
// Counted by the test, with the error: kafkajs restarts a consumer that crashed, leaving the group and
// joining it again, which costs a rebalance.
consumer.consumer.on(consumer.consumer.events.CRASH, ({ payload }) =>
  print(`crash ${payload.error.name}: ${payload.error.message}`),
);
await consumer.connect();
await consumer.subscribe({ topics: [topic], fromBeginning: true });
let handled = 0;
await consumer.run({
  eachMessage: async ({ partition, message, decoded }) => {
    print(`${partition} ${message.offset} ${decoded.value.first_name}`);
    // Slow enough that the group is still at work when the test kills a member and a broker.
    if (++handled % 20 === 0) await sleep(5);
  },
});
process.on('SIGTERM', async () => {
  await consumer.disconnect();
  process.exit(0);
});
