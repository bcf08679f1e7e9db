#!/usr/bin/env node
// Starts a single Kafka broker whose client listener is SASL_SSL (SCRAM-SHA-512 over TLS, a CA made
// for this run), writes the client properties to the file named as the first argument, ready for
// `schemawire --kafka-config FILE`, and creates the topics named after it. Runs until interrupted,
// then stops the broker.
//   node scripts/secured-kafka.mjs secured.properties [topic...]
// The image comes from SCHEMAWIRE_KAFKA_IMAGE (`make stack` writes it to .tools/stack.env); it starts
// with images/kafka/run, which creates the SCRAM user from KAFKA_SCRAM_USERS.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { resolveImages, startKafka } from '../packages/testcontainers/dist/index.js';

// kafkajs as @schemawire/kafkajs has it: this folder is no package of its own.
const { Kafka, logLevel } = createRequire(new URL('../packages/kafkajs/package.json', import.meta.url))(
  'kafkajs',
);

// kafkajs 2.2.4 sets timers with negative delays (tulios/kafkajs#1751); Node's warning means nothing here.
process.removeAllListeners('warning');

const [target, ...topics] = process.argv.slice(2);
if (target === undefined) {
  console.error('usage: node scripts/secured-kafka.mjs <properties file to write> [topic...]');
  process.exit(2);
}
const kafka = await startKafka({ image: resolveImages({}).kafkaImage, security: 'sasl_ssl' });
writeFileSync(resolve(target), kafka.security.properties);
// schemawire's producer reads a topic's partitions before it writes, and Kafka creates no topic for
// that request: the topics a walkthrough writes to are made here.
if (topics.length > 0) {
  const { ssl, sasl } = kafka.security;
  const admin = new Kafka({ brokers: [...kafka.brokers], ssl, sasl, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: topics.map((topic) => ({ topic })), waitForLeaders: true });
  await admin.disconnect();
}
console.error(`secured Kafka at ${kafka.brokers.join(',')}; client properties in ${target}; Ctrl-C stops it`);
const stop = async () => {
  await kafka.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
