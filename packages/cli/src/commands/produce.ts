import {
  describeValue,
  ErrorCode,
  isSchemaWireError,
  parseJsonExactly,
  SchemaWireError,
} from '@schemawire/core-client';
import type { DeliveryRetry } from '@schemawire/kafkajs';
import { DeliveryError } from '@schemawire/kafkajs';
import type { IHeaders } from 'kafkajs';
import { apicurioIdHelp, carrierHelp } from '../carrier-option.js';
import type { CliIo } from '../cli-io.js';
import { writeLine } from '../cli-io.js';
import { clientHelp, parseClient } from '../client-option.js';
import type { Command } from '../command.js';
import { globalHelp, oneOf, parseCommandArgs, parsePositiveInteger, UsageError } from '../command.js';
import { unionsHelp } from '../formats.js';
import { headerValuesHelp, parseHeaders, parsePrintedValue } from '../header-values.js';
import { inputLines, utf8Line } from '../input-lines.js';
import { openKafka } from '../kafka-option.js';
import type { MessageSender, OutgoingMessage, SentPartition } from '../message-sender.js';
import { openMessageSender } from '../message-sender.js';
import { openSerializers } from '../message-serializers.js';
import { jsonLine } from '../printable-json.js';
import { Progress } from '../progress.js';
import { namedRegistryHelp } from '../registry-option.js';

const options = {
  topic: { type: 'string' },
  subject: { type: 'string' },
  schema: { type: 'string' },
  type: { type: 'string' },
  reference: { type: 'string', multiple: true },
  message: { type: 'string' },
  format: { type: 'string' },
  carrier: { type: 'string' },
  'apicurio-id': { type: 'string' },
  'key-format': { type: 'string' },
  'key-subject': { type: 'string' },
  'batch-size': { type: 'string' },
  acks: { type: 'string' },
  'no-idempotence': { type: 'boolean' },
  'delivery-timeout-ms': { type: 'string' },
  raw: { type: 'boolean' },
  'schema-text': { type: 'string' },
  quiet: { type: 'boolean' },
  unions: { type: 'string' },
  client: { type: 'string' },
} as const;

/** --acks as Kafka's `acks` setting names them, and as kafkajs takes them. */
const ACKS = { all: -1, '-1': -1, '1': 1, '0': 0 } as const;

const DEFAULT_BATCH_SIZE = 500;

/** `schemawire produce`: sends NDJSON messages from stdin to a topic, serialized with a schema. */
export const produceCommand: Command = {
  name: 'produce',
  summary: 'send NDJSON messages from stdin to a Kafka topic, serialized with a schema',
  help: `Usage: schemawire produce --topic T (--subject S | --schema FILE [--type T] | --schema-text SCHEMA --type T | --format string|json) [--reference name=subject:version]... [--raw] [--quiet] [--message NAME] [--carrier prefix|header|apicurio|key] [--apicurio-id content|global] [--key-format string|json|avro|protobuf|json-schema] [--key-subject S] [--unions unwrapped|avro-json] [--batch-size N] [--acks all|1|0] [--no-idempotence] [--delivery-timeout-ms N] [--client kafkajs|platformatic] < messages.ndjson

Reads stdin line by line and sends each line as a message. A line is JSON: the message value, or, when
it is an object with a "value" member, the whole message: {"key": ..., "value": ..., "headers":
{"name": "text"}} (${headerValuesHelp}). To send a record that has a field named "value", wrap it: {"value": {"value": 1}}.
null is a tombstone; blank lines are skipped. Integers beyond 2^53 are read with all their digits, so
what consume printed sends the same bytes again.

Messages go out in batches; each batch prints one line on stderr with the partitions and offsets it
was written at (not with --quiet), and the end prints {"topic","messages","seconds","perSecond"} on
stdout: the count, the time the sending took and its rate. A line that cannot be read (not
UTF-8, not JSON) or serialized stops the run with exit 1, naming the line; the lines before it were
sent. A message counts as sent only once a broker acknowledged its partition; messages of partitions
that fail with a retriable error (a broker down, a leader moving) are sent again, each retry reported
on stderr, until --delivery-timeout-ms; messages still unacknowledged then stop the run with exit 1,
counted exactly. On a terminal, stderr also shows the count and rate while the run goes on.

${namedRegistryHelp} Schemaless values, and --raw values of a --schema file, with string or json
keys need no registry.

Options:
  --topic <T>             topic to write to (required)
  --subject <S>           write values with the latest schema of S; with --schema, register it under S
  --schema <file>         register this schema (under --subject, default <topic>-value) and write with it
  --schema-text <schema>  as --schema, with the schema's text itself (needs --type)
  --type <type>           with --schema: avro, protobuf or json (default: from the extension)
  --reference <ref>       with --schema: name=subject:version of a schema it references (repeatable)
  --message <name>        Protobuf message type to write, e.g. pkg.MyMessage (default the file's first)
  --format <kind>         write values without a schema: string (each value a JSON string) or json
  --quiet                 print only the final line: no line per batch, no progress (default off)
  --raw                   write the bare body of each value (with --schema, not registered; or with the
                          latest schema of --subject): no Confluent prefix, no schema id header, as
                          producers without a registry write them; consume reads them with --schema
                          (default off)
${carrierHelp}
${apicurioIdHelp}
  --key-format <kind>     string (default: keys are JSON strings, sent as text, or {"base64": "..."},
                          sent as those bytes), json (any JSON, sent as JSON text), or avro, protobuf,
                          json-schema: written with the latest schema of the key subject, which must
                          be of that type
  --key-subject <S>       subject of the key schema (default <topic>-key)
${unionsHelp}
  --batch-size <N>        messages per send (default ${DEFAULT_BATCH_SIZE}; 1 when stdin is a terminal)
  --acks <all|1|0>        acknowledgement a message needs to count as sent: all (default: every in-sync
                          replica), 1 (the partition leader) or 0 (none: nothing is verified)
  --no-idempotence        turn off the idempotent producer (on by default with --acks all, so a message
                          sent again after a failure is written once)
  --delivery-timeout-ms <N>  how long to keep sending again what a broker failure left unacknowledged
                          (default 120000); what is still not acknowledged then is counted and reported
${clientHelp}

${globalHelp}

Example:
  schemawire produce --brokers localhost:9092 --topic example_topic --format string <<'EOF'
  {"key":"0","value":"message number 0"}
  "no key, just a value"
  EOF`,
  run,
};

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, options);
  if (positionals.length > 0) {
    throw new UsageError(
      `cannot produce messages: unexpected argument ${JSON.stringify(positionals[0])}; messages come from stdin`,
    );
  }
  const topic = values.topic;
  if (topic === undefined) throw new UsageError('cannot produce messages: --topic is required');
  // Typed lines go out as they are typed; piped ones in batches.
  const typed = (io.stdin as { isTTY?: unknown }).isTTY === true;
  const batchSize = parsePositiveInteger(
    'batch-size',
    values['batch-size'] ?? String(typed ? 1 : DEFAULT_BATCH_SIZE),
  );
  const client = parseClient(values.client);
  const opened = openKafka(values, io, 'cannot produce messages');
  const { config, connectError, checkTls } = opened;
  // A flag wins over the client properties, which win over the defaults.
  const acks =
    ACKS[
      oneOf('acks', values.acks ?? config.producer.acks ?? 'all', Object.keys(ACKS) as (keyof typeof ACKS)[])
    ];
  const deliveryTimeoutMs =
    values['delivery-timeout-ms'] === undefined
      ? config.producer.deliveryTimeoutMs
      : parsePositiveInteger('delivery-timeout-ms', values['delivery-timeout-ms']);
  const idempotent =
    acks === -1 && values['no-idempotence'] !== true && config.producer.idempotence !== false;
  const serializers = await openSerializers(values, io, topic);

  const quiet = values.quiet === true;
  const progress = new Progress(io.stderr, { quiet });
  const producer = openMessageSender(client, opened, {
    value: serializers.value,
    key: serializers.key,
    acks,
    idempotent,
    onRetry: (retry) => progress.line(retryLine(retry)),
    deliveryTimeoutMs,
  });
  try {
    await checkTls();
    await producer.connect();
  } catch (error) {
    await producer.close();
    throw connectError(error);
  }
  const sender = new BatchSender(producer, topic, progress);
  const started = performance.now();
  try {
    let batch: PendingMessage[] = [];
    let line = 0;
    for await (const bytes of inputLines(io.stdin)) {
      line += 1;
      let message: OutgoingMessage;
      try {
        const text = utf8Line(bytes);
        if (text.trim() === '') continue;
        message = parseMessageLine(text, serializers.stringKeys);
      } catch (error) {
        await sender.send(batch);
        throw sender.lineError(line, error);
      }
      batch.push({ line, message });
      if (batch.length >= batchSize) {
        await sender.send(batch);
        batch = [];
      }
    }
    await sender.send(batch);
  } finally {
    progress.end();
    await producer.close();
  }
  // The rate from the seconds as printed, so the line agrees with itself.
  const seconds = Number(((performance.now() - started) / 1000).toFixed(3));
  const perSecond = Math.round(sender.sent / Math.max(seconds, 0.001));
  writeLine(io.stdout, jsonLine({ topic, messages: sender.sent, seconds, perSecond }));
  return 0;
}

interface PendingMessage {
  readonly line: number;
  readonly message: OutgoingMessage;
}

/** Sends batches of lines, reports each on stderr and counts what was sent. */
class BatchSender {
  readonly #producer: MessageSender;
  readonly #topic: string;
  readonly progress: Progress;
  sent = 0;

  constructor(producer: MessageSender, topic: string, progress: Progress) {
    this.#producer = producer;
    this.#topic = topic;
    this.progress = progress;
  }

  async send(batch: readonly PendingMessage[]): Promise<void> {
    if (batch.length === 0) return;
    let metadata: SentPartition[];
    try {
      metadata = await this.#producer.send(
        this.#topic,
        batch.map((m) => m.message),
      );
    } catch (error) {
      if (error instanceof DeliveryError) throw this.#notDelivered(batch, error);
      // A message that cannot be serialized fails its whole send before anything is sent; one by one,
      // the messages before it go out and the failure names its line.
      if (isSchemaWireError(error) && error.code !== ErrorCode.Kafka) return this.#sendOneByOne(batch);
      throw this.#kafkaError(error);
    }
    this.#sent(batch, offsetRanges(metadata, batch.length));
  }

  // The acknowledged part of the batch counts as sent; the error names the lines that were not.
  #notDelivered(batch: readonly PendingMessage[], error: DeliveryError): SchemaWireError {
    this.sent += error.delivered;
    this.progress.update(this.sent);
    const lines = error.undelivered.map((position) => batch[position]!.line);
    const unsent = error.undelivered.length;
    return new SchemaWireError(
      ErrorCode.NotDelivered,
      `cannot send ${plural(unsent, 'message')} to topic ${JSON.stringify(this.#topic)} (${lineList(lines)}): ${error.message}; ${this.sent} message${this.sent === 1 ? ' was' : 's were'} sent in all, ${unsent} ${unsent === 1 ? 'was' : 'were'} not`,
      { cause: error, topic: this.#topic },
    );
  }

  /** The error of the line numbered `line`, saying how many messages went out before it. */
  lineError(line: number, error: unknown): SchemaWireError {
    // The producer's message names the message's place in its send, which means nothing to the user.
    const cause = isSchemaWireError(error) && isSchemaWireError(error.cause) ? error.cause : error;
    const detail = cause instanceof Error ? cause.message : String(cause);
    const code = isSchemaWireError(cause) ? cause.code : ErrorCode.SerializationFailed;
    return new SchemaWireError(code, `cannot produce line ${line}: ${detail} (${sentBefore(this.sent)})`, {
      cause: error,
      topic: this.#topic,
    });
  }

  async #sendOneByOne(batch: readonly PendingMessage[]): Promise<void> {
    const ranges = new Map<number, OffsetRange>();
    let done = 0;
    let failure: { readonly line: number; readonly error: unknown } | undefined;
    for (const { line, message } of batch) {
      try {
        for (const { partition, baseOffset } of await this.#producer.send(this.#topic, [message])) {
          if (baseOffset === undefined) continue;
          ranges.set(partition, {
            partition,
            first: ranges.get(partition)?.first ?? baseOffset,
            last: baseOffset,
          });
        }
      } catch (error) {
        failure = { line, error };
        break;
      }
      done += 1;
    }
    this.#sent(batch.slice(0, done), [...ranges.values()]);
    if (failure === undefined) return;
    throw isSchemaWireError(failure.error)
      ? this.lineError(failure.line, failure.error)
      : this.#kafkaError(failure.error);
  }

  #sent(batch: readonly PendingMessage[], ranges: readonly OffsetRange[]): void {
    if (batch.length === 0) return;
    this.sent += batch.length;
    const lines = span(batch[0]!.line, batch.at(-1)!.line);
    const where = ranges
      .map(({ partition, first, last }) =>
        last === undefined
          ? `partition ${partition} from offset ${first}`
          : `partition ${partition} offset${first === last ? '' : 's'} ${span(first, last)}`,
      )
      .join(', ');
    this.progress.line(
      `sent ${plural(batch.length, 'message')} (line${batch.length === 1 ? '' : 's'} ${lines}) to ${JSON.stringify(this.#topic)}: ${where}`,
    );
    this.progress.update(this.sent);
  }

  #kafkaError(error: unknown): SchemaWireError {
    const action = `cannot send messages to topic ${JSON.stringify(this.#topic)} (${sentBefore(this.sent)})`;
    return this.#producer.kafkaError(action, error, { topic: this.#topic });
  }
}

function retryLine({ topic, partition, messages, attempt, delayMs, error }: DeliveryRetry): string {
  return `retrying ${plural(messages, 'message')} to ${JSON.stringify(topic)} partition ${partition} in ${delayMs} ms (attempt ${attempt + 1}): ${error.message}`;
}

// Line numbers as ranges: "lines 3-5, 9".
function lineList(lines: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    ranges.push(span(lines[i]!, lines[j]!));
    i = j;
  }
  return `line${lines.length === 1 ? '' : 's'} ${ranges.join(', ')}`;
}

function span(first: number | string, last: number | string): string {
  return String(first) === String(last) ? String(first) : `${first}-${last}`;
}

function sentBefore(count: number): string {
  if (count === 0) return 'nothing was sent';
  return `the ${plural(count, 'message')} before it ${count === 1 ? 'was' : 'were'} sent`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

interface OffsetRange {
  readonly partition: number;
  readonly first: string;
  /** Known when the send wrote to one partition only: the response names each partition's first offset. */
  readonly last: string | undefined;
}

// With acks (the default) every partition's answer has its base offset.
function offsetRanges(metadata: readonly SentPartition[], count: number): OffsetRange[] {
  return metadata.flatMap(({ partition, baseOffset }) =>
    baseOffset === undefined
      ? []
      : [
          {
            partition,
            first: baseOffset,
            last: metadata.length === 1 ? String(BigInt(baseOffset) + BigInt(count - 1)) : undefined,
          },
        ],
  );
}

const MESSAGE_MEMBERS: ReadonlySet<string> = new Set(['key', 'value', 'headers']);

/** The message one input line stands for; an error saying what is wrong with the line otherwise. */
function parseMessageLine(text: string, stringKeys: boolean): OutgoingMessage {
  let parsed: unknown;
  try {
    // Integers beyond 2^53 come as bigints, not rounded: a snowflake id is sent as it was written.
    parsed = parseJsonExactly(text);
  } catch (error) {
    throw new Error(`it is not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('value' in parsed)) {
    return { value: parsed };
  }
  const message = parsed as Record<string, unknown>;
  const other = Object.keys(message).find((name) => !MESSAGE_MEMBERS.has(name));
  if (other !== undefined) {
    throw new Error(
      `an object with a "value" member is a message, which has only "key", "value" and "headers", not ${JSON.stringify(other)}; to send a record with a "value" field, wrap it: {"value": {...}}`,
    );
  }
  const out: { key?: unknown; value: unknown; headers?: IHeaders } = { value: message['value'] };
  // A key that is not UTF-8 text prints as {"base64": "..."}, and is sent as those bytes again.
  const key = stringKeys && message['key'] != null ? parsePrintedValue(message['key']) : message['key'];
  // The string serializer would blame "the value"; the user needs to hear it is the key.
  if (key === undefined && message['key'] !== undefined) {
    throw new Error(
      `the key must be a JSON string or {"base64": "..."} with --key-format string (--key-format json takes any JSON), not ${describeValue(message['key'])}`,
    );
  }
  if (key !== undefined) out.key = key;
  if (message['headers'] !== undefined) out.headers = parseHeaders(message['headers']);
  return out;
}
