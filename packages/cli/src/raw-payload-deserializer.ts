import { isUtf8 } from 'node:buffer';
import type {
  Deserialized,
  DeserializerOptions,
  IncomingMessage,
  KeyIdCodec,
  Located,
} from '@schemawire/core-client';
import {
  Deserializer,
  decimalKeyIdCodec,
  ErrorCode,
  locateSchemaId,
  parseJsonExactly,
  wrapError,
} from '@schemawire/core-client';
import type { RawCodec } from './raw-codec.js';

/**
 * How a value with no schema id reads when no schema file is given for it: `string` (UTF-8 text; bytes
 * that are not UTF-8 as base64, labelled BYTES), `json` (JSON text, else an error) or `auto` (JSON when
 * it parses, else as `string`).
 */
export const fallbackChoices = ['string', 'json', 'auto'] as const;

/** The help lines of --fallback. */
export const fallbackHelp = `  --fallback <kind>       how a value without schema id (and no --schema for it) reads, instead of
                          failing: string (UTF-8 text; bytes that are not UTF-8 print as base64,
                          schemaType BYTES, as nothing is lost), json (JSON text, else an error), or
                          auto (JSON when the bytes parse as JSON, else as string); default none:
                          such a value fails`;

/** One of {@link fallbackChoices}. */
export type Fallback = (typeof fallbackChoices)[number];

/** Options of a {@link RawPayloadDeserializer}: a value deserializer's, and how raw values read. */
export interface RawPayloadOptions extends Omit<DeserializerOptions, 'fallback' | 'isKey'> {
  /** The schema the raw values of a topic hold (`undefined` topic: a message from no topic). */
  readonly rawCodec?: ((topic: string | undefined) => RawCodec | undefined) | undefined;
  readonly fallback?: Fallback | undefined;
  /** Decode nothing: every value is its bytes, labelled BYTES, with the schema id it carries. */
  readonly bytesOnly?: boolean | undefined;
}

const SCHEMALESS = {
  schemaId: undefined,
  subject: undefined,
  version: undefined,
  carrier: undefined,
} as const;

/**
 * A value deserializer that also reads values carrying no schema id, as plain producers write them:
 * with the schema file the user holds for their topic, else as the fallback says. Values that carry an
 * id decode with the registry as the {@link Deserializer} does.
 */
export class RawPayloadDeserializer extends Deserializer {
  readonly #rawCodec: (topic: string | undefined) => RawCodec | undefined;
  readonly #fallback: Fallback | undefined;
  readonly #bytesOnly: boolean;
  readonly #jsonValues: boolean;
  readonly #keyIdCodec: KeyIdCodec | undefined;

  constructor(options: RawPayloadOptions) {
    const { rawCodec, fallback, bytesOnly, ...rest } = options;
    // JSON text that does not parse is an error, which the base class words and places.
    super(fallback === 'json' ? { ...rest, fallback } : rest);
    this.#rawCodec = rawCodec ?? (() => undefined);
    this.#fallback = fallback;
    this.#bytesOnly = bytesOnly ?? false;
    this.#jsonValues = options.jsonValues ?? false;
    this.#keyIdCodec = options.keyCarrier === true ? decimalKeyIdCodec : options.keyCarrier || undefined;
  }

  override deserializeSync(message: IncomingMessage): Deserialized | null {
    return this.#raw(message) ?? super.deserializeSync(message);
  }

  override async deserialize(message: IncomingMessage): Promise<Deserialized | null> {
    return this.#raw(message) ?? super.deserialize(message);
  }

  // The value read here, or undefined to leave it to the registry (or, for `json`, the base class).
  #raw(message: IncomingMessage): Deserialized | undefined {
    const bytes = message.value;
    if (bytes === null) return undefined;
    const payload = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let located: Located | undefined;
    try {
      located = locateSchemaId(payload, message.key, message.headers, {
        isKey: false,
        keyIdCodec: this.#keyIdCodec,
      });
    } catch {
      // A malformed carrier: the base class says what is wrong with it.
      return this.#bytesOnly ? bytesOf(payload, undefined) : undefined;
    }
    if (this.#bytesOnly) return bytesOf(payload, located);
    if (located !== undefined) return undefined;
    const codec = this.#rawCodec(message.topic);
    if (codec !== undefined) {
      try {
        return {
          ...SCHEMALESS,
          schemaType: codec.schemaType,
          value: codec.decode(payload, this.#jsonValues),
        };
      } catch (error) {
        throw wrapError(error, ErrorCode.DeserializationFailed, 'cannot deserialize payload', {
          ...(message.topic === undefined ? {} : { topic: message.topic }),
          ...(message.partition === undefined ? {} : { partition: message.partition }),
          ...(message.offset === undefined ? {} : { offset: message.offset }),
        });
      }
    }
    if (this.#fallback === 'auto' && isUtf8(payload)) {
      const json = parsedJson(payload);
      if (json !== undefined) return { ...SCHEMALESS, schemaType: 'JSON', value: json.value };
    }
    if (this.#fallback === 'auto' || this.#fallback === 'string') {
      return isUtf8(payload)
        ? { ...SCHEMALESS, schemaType: 'STRING', value: payload.toString('utf8') }
        : { ...SCHEMALESS, schemaType: 'BYTES', value: payload };
    }
    return undefined;
  }
}

function bytesOf(payload: Buffer, located: Located | undefined): Deserialized {
  const id = located?.schemaId.kind === 'id' ? located.schemaId.id : undefined;
  return { ...SCHEMALESS, schemaId: id, carrier: located?.carrier, schemaType: 'BYTES', value: payload };
}

// Boxed, as `null` is JSON too.
function parsedJson(payload: Buffer): { readonly value: unknown } | undefined {
  try {
    // Integers beyond 2^53 come as bigints, not rounded.
    return { value: parseJsonExactly(payload.toString('utf8')) };
  } catch {
    return undefined;
  }
}
