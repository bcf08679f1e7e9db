import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { SchemaRegistryClient } from '@schemawire/core-client';
import {
  Deserializer,
  ErrorCode,
  isSchemaWireError,
  SchemaResolver,
  SchemaWireError,
} from '@schemawire/core-client';
import type { SchemaConsumerLogger } from '@schemawire/kafkajs';
import type { ConsumedMessage } from '@schemawire/platformatic-kafka';
import { formatBytes } from '../bytes-encoding.js';
import { keyCarrierHelp, keyCarrierHint } from '../carrier-option.js';
import type { CliIo } from '../cli-io.js';
import { writeLine } from '../cli-io.js';
import { clientHelp, parseClient } from '../client-option.js';
import type { Command } from '../command.js';
import {
  globalHelp,
  oneOf,
  parseCommandArgs,
  parseNonNegativeInteger,
  parsePositiveInteger,
  UsageError,
} from '../command.js';
import { fallbackChoices, fallbackHelp } from '../fallback-option.js';
import { formatsForLongs, longsChoices, longsHelp } from '../formats.js';
import { printableHeaders } from '../header-values.js';
import { openKafka } from '../kafka-option.js';
import type { SourceMessage } from '../message-source.js';
import { openMessageSource } from '../message-source.js';
import { noRegistry } from '../no-registry.js';
import type { Location, PartitionRange } from '../partition-ranges.js';
import { PartitionEnds, parseStartOffset, partitionRangeHelp, partitionRanges } from '../partition-ranges.js';
import { jsonLine } from '../printable-json.js';
import { Progress } from '../progress.js';
import { openRawCodecs, readerOptionsHelp, readReaderSchema } from '../raw-schema-option.js';
import { Redelivery } from '../redelivery.js';
import { isRegistryNamed, namedRegistryHelp, openNamedRegistry } from '../registry-option.js';
import { subjectOfId } from '../subject-of-id.js';
import { valueDeserializer } from '../undecoded-value-reader.js';

const options = {
  topic: { type: 'string', multiple: true },
  'from-beginning': { type: 'boolean' },
  group: { type: 'string' },
  'max-messages': { type: 'string' },
  'timeout-ms': { type: 'string' },
  fallback: { type: 'string' },
  'on-error': { type: 'string' },
  'key-format': { type: 'string' },
  'key-carrier': { type: 'boolean' },
  // The default since the key carrier became opt-in; still accepted so that scripts keep working.
  'no-key-carrier': { type: 'boolean' },
  longs: { type: 'string' },
  schema: { type: 'string', multiple: true },
  message: { type: 'string' },
  'reader-schema': { type: 'string' },
  'value-format': { type: 'string' },
  partition: { type: 'string', multiple: true },
  offset: { type: 'string' },
  'exit-at-end': { type: 'boolean' },
  print: { type: 'string' },
  client: { type: 'string' },
} as const;

const keyFormats = ['auto', 'string', 'base64', 'hex'] as const;
const valueFormats = ['decoded', 'base64', 'hex'] as const;
const printChoices = ['envelope', 'value', 'key-value'] as const;

/** `schemawire consume`: prints the messages of topics, decoded whatever their format. */
export const consumeCommand: Command = {
  name: 'consume',
  summary: 'print the messages of Kafka topics as JSON, decoded whatever their format',
  help: `Usage: schemawire consume --topic T [--from-beginning] [--group G] [--partition N]... [--offset beginning|end|N|-N|@TIME] [--exit-at-end] [--max-messages N] [--timeout-ms N] [--print envelope|value|key-value] [--schema [TOPIC=]FILE [--message NAME]]... [--reader-schema FILE] [--fallback string|json|auto] [--value-format decoded|base64|hex] [--key-format auto|string|base64|hex] [--on-error fail|skip|dead-letter:TOPIC] [--key-carrier] [--longs number|string] [--client kafkajs|platformatic]

Prints one JSON object per message on stdout:
{"topic","partition","offset","key","headers","schemaId","schemaType","subject","value"}. Values are
decoded with whatever schema they name, wherever the id travels (header, Confluent prefix, or, with
--key-carrier, the message key); header values print as UTF-8 text, or as {"base64": "..."} when
not UTF-8; values in their format's JSON form (Avro: dates as "YYYY-MM-DD", times and timestamps as
ISO 8601 text, bytes as base64; Protobuf: the proto3 JSON mapping), 64-bit integers as JSON numbers
with all their digits (or, with --longs string, as decimal text): produce reads such a line back into
the same message.
Values that carry no schema id, as producers without a registry write them, decode with the --schema
of their topic, else as --fallback says (auto reads a topic of both plain text and JSON in one pass);
runs that read only such values need no registry.
The subject is one that holds the schema: a registry gives equal schemas one id, whatever the subject.
The run ends after --max-messages messages, when --timeout-ms passes without a new message (counted
from joining the group), or with --exit-at-end at the end of every partition; all exit 0 with what
was read. Without them it runs until interrupted.
The last line on stderr counts the messages; on a terminal stderr also shows that the run is connected
and waiting, then the count and rate.

${namedRegistryHelp}

Options:
  --topic <T>             topic to read (required, repeatable)
  --from-beginning        start at the oldest message when the group has no committed offset
  --group <G>             consumer group (default a new one per run, so nothing is left committed)
${partitionRangeHelp}
  --max-messages <N>      stop after N messages (decoded, skipped or dead-lettered; one delivered again
                          after a rebalance prints and counts once)
  --timeout-ms <N>        stop after N ms without a new message
  --schema <[T=]file>     decode values without schema id of topic T (of every topic without T=) with
                          this schema: .avsc (Avro), .proto (Protobuf) or .json (JSON Schema); values
                          with an id still use the registry (repeatable)
${readerOptionsHelp}
${fallbackHelp}
  --print <what>          what each message prints as: envelope (default: the JSON object above), value
                          (the value alone, as Confluent's console consumer prints it) or key-value
                          ({"key","value"}, which produce reads back)
  --value-format <kind>   how values print: decoded (default), or base64 or hex: the value's bytes as
                          they came, undecoded (schemaId names the id they carry, schemaType is BYTES)
  --on-error <policy>     what to do with a message that cannot be decoded: fail (default: exit 1 naming
                          it), skip (a warning on stderr) or dead-letter:TOPIC (sent there as it came)
  --key-format <kind>     how keys print: auto (default: decoded when they carry a schema id of their
                          own, else UTF-8 text, or {"base64": "..."} when not UTF-8), string (UTF-8
                          text), or base64 or hex (the bytes as they came)
${keyCarrierHelp}
${longsHelp}
${clientHelp}

${globalHelp}

Example:
  schemawire consume --brokers localhost:9092 --topic avro_topic_test --from-beginning --timeout-ms 5000
  schemawire consume --brokers localhost:9092 --topic example_topic --topic avro_topic_test \\
    --schema avro_topic_test=schemas/user.avsc --fallback auto --from-beginning --timeout-ms 5000`,
  run,
};

/** Why a run ended. */
type Ending =
  | { readonly kind: 'max-messages' | 'interrupted' | 'end' }
  | { readonly kind: 'timeout'; readonly ms: number }
  | { readonly kind: 'failed'; readonly error: SchemaWireError };

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, options);
  if (positionals.length > 0) {
    throw new UsageError(`cannot consume messages: unexpected argument ${JSON.stringify(positionals[0])}`);
  }
  const topics = values.topic ?? [];
  if (topics.length === 0) throw new UsageError('cannot consume messages: --topic is required');
  const maxMessages =
    values['max-messages'] === undefined
      ? undefined
      : parsePositiveInteger('max-messages', values['max-messages']);
  const timeoutMs =
    values['timeout-ms'] === undefined ? undefined : parsePositiveInteger('timeout-ms', values['timeout-ms']);
  const fallback =
    values.fallback === undefined ? undefined : oneOf('fallback', values.fallback, fallbackChoices);
  const keyFormat = oneOf('key-format', values['key-format'] ?? 'auto', keyFormats);
  const valueFormat = oneOf('value-format', values['value-format'] ?? 'decoded', valueFormats);
  const print = oneOf('print', values.print ?? 'envelope', printChoices);
  const wantedPartitions = values.partition?.map((text) => parseNonNegativeInteger('partition', text));
  const start = values.offset === undefined ? undefined : parseStartOffset(values.offset);
  const exitAtEnd = values['exit-at-end'] === true;
  const longs = oneOf('longs', values.longs ?? 'number', longsChoices);
  const formats = formatsForLongs(longs);
  const onError = parseOnError(values['on-error'] ?? 'fail');
  const client = parseClient(values.client);
  const opened = openKafka(values, io, 'cannot consume messages');
  const { connectError, checkTls } = opened;
  // Values without schema id are read with no registry; one is needed only for those with an id.
  const readsRaw = values.schema !== undefined || fallback !== undefined || valueFormat !== 'decoded';
  const registry =
    readsRaw && !isRegistryNamed(values, io)
      ? noRegistry('cannot consume messages')
      : openNamedRegistry(values, io, 'cannot consume messages');
  const resolver = new SchemaResolver(registry);
  const readerSchema = await readReaderSchema(values, io);
  const rawCodec = await openRawCodecs(values, topics, { resolver, formats, readerSchema, io });
  const groupId = values.group ?? `schemawire-cli-${randomUUID()}`;
  if (values['key-carrier'] === true && values['no-key-carrier'] === true) {
    throw new UsageError('cannot consume messages: --key-carrier and --no-key-carrier contradict each other');
  }
  const keyCarrier = values['key-carrier'] === true;
  const fromBeginning = values['from-beginning'] === true;

  const progress = new Progress(io.stderr);
  let printed = 0;
  let end: (ending: Ending) => void = () => {};
  const ended = new Promise<Ending>((resolve) => {
    end = resolve;
  });
  let over = false;
  const finish = (ending: Ending): void => {
    if (over) return;
    over = true;
    // The rest of a fetched batch is left unhandled, so a named group reads it next time.
    source.pause();
    end(ending);
  };
  let idleTimer: NodeJS.Timeout | undefined;
  const idle = (): void => {
    if (timeoutMs === undefined || over) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => finish({ kind: 'timeout', ms: timeoutMs }), timeoutMs);
  };
  // Called after each message printed and each warning: only a skip or a dead letter among the
  // warnings counts, a retry does not.
  let counted = 0;
  const handled = (at: Location | undefined): void => {
    const { skipped, deadLettered } = source.stats();
    const count = printed + skipped + deadLettered;
    if (count === counted) return;
    counted = count;
    progress.update(count);
    if (maxMessages !== undefined && count >= maxMessages) finish({ kind: 'max-messages' });
    else if (at !== undefined && ends?.reached(at) === true) finish({ kind: 'end' });
    else idle();
  };

  // Partitions, start offsets and ends are looked up once, before the group is joined.
  const positions = wantedPartitions !== undefined || start !== undefined || exitAtEnd;
  let ranges: PartitionRange[] | undefined;
  let ends: PartitionEnds | undefined;
  let joined = false;
  const source = openMessageSource(client, opened, {
    groupId,
    topics,
    value: valueDeserializer(valueFormat === 'decoded', {
      registry: resolver,
      formats,
      keyCarrier,
      jsonValues: true,
      schemaless: rawCodec,
      ...(readerSchema === undefined ? {} : { readerSchema }),
      ...(fallback === undefined ? {} : { fallback }),
    }),
    key:
      keyFormat === 'auto'
        ? new Deserializer({ registry: resolver, formats, isKey: true, fallback: 'string', jsonValues: true })
        : undefined,
    onError: onError.policy === 'dead-letter' ? { deadLetterTopic: onError.topic } : onError.policy,
    onFailure: (error, consumed) =>
      finish({ kind: 'failed', error: located(error, consumed, printed, keyCarrier) }),
    onCrash: (error) => finish({ kind: 'failed', error }),
    onJoin: (assigned) => {
      if (!joined && ranges !== undefined) {
        const mine = ranges.filter(({ topic, partition }) =>
          assigned.some((a) => a.topic === topic && a.partitions.includes(partition)),
        );
        if (wantedPartitions !== undefined && mine.length === 0) {
          finish({
            kind: 'failed',
            error: new SchemaWireError(
              ErrorCode.Config,
              `cannot consume messages: no partition ${wantedPartitions.join(', ')} of the topics is assigned to this consumer`,
            ),
          });
        }
        if (exitAtEnd) {
          ends = new PartitionEnds(mine);
          if (ends.done) finish({ kind: 'end' });
        }
      }
      joined = true;
      idle();
      // On a terminal, a run with nothing to read yet shows it is there and listening.
      if (counted === 0) progress.status('connected; waiting for messages (Ctrl-C to stop)');
    },
    logger: stderrLogger(progress, handled),
  });
  const interrupt = () => finish({ kind: 'interrupted' });
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  const subjects = new SubjectNames(registry);
  try {
    try {
      await checkTls();
      await source.connect();
    } catch (error) {
      throw connectError(error);
    }
    if (positions) {
      try {
        ranges = (
          await Promise.all(
            topics.map((topic) =>
              partitionRanges(source.offsets, topic, wantedPartitions, start, fromBeginning),
            ),
          )
        ).flat();
      } catch (error) {
        throw isSchemaWireError(error) ? error : source.kafkaError('cannot consume messages', error);
      }
    }
    // A rebalance or a restart can deliver again what was printed since the last commit: it prints,
    // and counts, once.
    const redelivery = new Redelivery();
    await source.run(
      {
        fromBeginning,
        ...(start === undefined ? {} : { starts: ranges }),
        ...(wantedPartitions === undefined ? {} : { only: ranges }),
      },
      async (message) => {
        if (over) return;
        const { topic, partition, offset } = message;
        if (redelivery.seen(topic, partition, offset)) return;
        const envelope = await printable(message, { keyFormat, valueFormat }, subjects);
        const line = jsonLine(shown(envelope, print), longs === 'string');
        if (!io.stdout.write(`${line}\n`)) await once(io.stdout, 'drain');
        printed += 1;
        handled({ topic, partition, offset });
      },
    );
    const ending = await ended;
    progress.end();
    if (ending.kind === 'failed') throw ending.error;
    const { skipped, deadLettered } = source.stats();
    const notes = [
      ...(skipped > 0 ? [`${skipped} skipped`] : []),
      ...(onError.policy === 'dead-letter' && deadLettered > 0
        ? [`${deadLettered} sent to dead-letter topic ${JSON.stringify(onError.topic)}`]
        : []),
      ...(ending.kind === 'timeout' ? [`no new message for ${ending.ms} ms`] : []),
      ...(ending.kind === 'end' ? ['reached the end of every partition'] : []),
      ...(ending.kind === 'interrupted' ? ['interrupted'] : []),
    ];
    writeLine(
      io.stderr,
      `consumed ${printed} message${printed === 1 ? '' : 's'} from ${topics.map((t) => JSON.stringify(t)).join(', ')}${notes.length === 0 ? '' : ` (${notes.join(', ')})`}`,
    );
    return 0;
  } finally {
    clearTimeout(idleTimer);
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    progress.end();
    await source.close();
  }
}

/** What --print shows of a message: the envelope, the value alone, or the key and the value (as produce reads them). */
function shown(envelope: Record<string, unknown>, print: (typeof printChoices)[number]): unknown {
  if (print === 'value') return envelope['value'];
  if (print === 'key-value') return { key: envelope['key'], value: envelope['value'] };
  return envelope;
}

/** What --on-error asks for. */
type OnError =
  | { readonly policy: 'fail' | 'skip' }
  | { readonly policy: 'dead-letter'; readonly topic: string };

/** The --on-error policy: `fail`, `skip` or `dead-letter:TOPIC`. */
function parseOnError(value: string): OnError {
  if (value === 'fail' || value === 'skip') return { policy: value };
  const topic = /^dead-letter:(.+)$/.exec(value)?.[1];
  if (topic === undefined) {
    throw new UsageError(
      `cannot parse arguments: --on-error must be "fail", "skip" or "dead-letter:TOPIC", got ${JSON.stringify(value)}`,
    );
  }
  return { policy: 'dead-letter', topic };
}

/** The JSON object a message prints as. */
async function printable(
  { topic, partition, offset, key: keyBytes, value: valueBytes, headers, decoded }: SourceMessage,
  {
    keyFormat,
    valueFormat,
  }: { keyFormat: (typeof keyFormats)[number]; valueFormat: (typeof valueFormats)[number] },
  subjects: SubjectNames,
): Promise<Record<string, unknown>> {
  const key =
    keyFormat === 'auto' || keyBytes === null
      ? printableKey(decoded.key)
      : keyBytes.toString(keyFormat === 'string' ? 'utf8' : keyFormat);
  const schemaId = decoded.schemaId ?? null;
  // Undecoded values are their bytes; their schema id, when they carry one, is still told.
  const bytes = valueFormat !== 'decoded';
  return {
    topic,
    partition,
    offset,
    key,
    headers: printableHeaders(headers),
    schemaId,
    schemaType: decoded.schemaType ?? null,
    subject: decoded.subject ?? (bytes || schemaId === null ? null : await subjects.of(schemaId)),
    value: bytes && valueBytes !== null ? formatBytes(valueBytes, valueFormat) : decoded.value,
  };
}

// A key read without a schema that is not UTF-8 text comes as its bytes: printed as {"base64"}, as such
// header values are, so that neither text nor bytes can pass for the other, and produce reads it back.
function printableKey(key: unknown): unknown {
  return Buffer.isBuffer(key) ? { base64: key.toString('base64') } : (key ?? null);
}

/**
 * The first subject of each schema id, asked once per id: a Confluent-API registry's schema-by-id
 * answer names no subject.
 */
class SubjectNames {
  readonly #registry: SchemaRegistryClient;
  readonly #known = new Map<number, Promise<string | null>>();

  constructor(registry: SchemaRegistryClient) {
    this.#registry = registry;
  }

  of(id: number): Promise<string | null> {
    let subject = this.#known.get(id);
    if (subject === undefined) {
      subject = subjectOfId(this.#registry, id).then((found) => {
        // A registry that could not say this time may say next time.
        if (found === undefined) this.#known.delete(id);
        return found ?? null;
      });
      this.#known.set(id, subject);
    }
    return subject;
  }
}

// Skips, dead letters and retries show as warnings; the failure that ends the run is the error line.
function stderrLogger(progress: Progress, handled: (at: Location) => void): SchemaConsumerLogger {
  return {
    info() {},
    error() {},
    warn(message, extra) {
      const { topic, partition, offset, error } = (extra ?? {}) as Record<string, unknown>;
      // A warning of the client (a stream opened again) names no message.
      if (topic === undefined) {
        progress.line(`warning: ${message}: ${error}`);
        return;
      }
      progress.line(
        `warning: ${message} (topic ${JSON.stringify(topic)}, partition ${partition}, offset ${offset}): ${error}`,
      );
      handled({ topic: String(topic), partition: Number(partition), offset: String(offset) });
    },
  };
}

function located(
  error: SchemaWireError,
  { topic, partition, message }: ConsumedMessage,
  printed: number,
  keyCarrier: boolean,
): SchemaWireError {
  return new SchemaWireError(
    error.code,
    `cannot consume message at topic ${JSON.stringify(topic)}, partition ${partition}, offset ${message.offset}: ${error.message}${keyCarrierHint({ value: message.value, key: message.key ?? null, headers: message.headers }, keyCarrier)} (${printed} messages were printed before it)`,
    { cause: error, topic, partition, offset: message.offset, schemaId: error.schemaId },
  );
}
