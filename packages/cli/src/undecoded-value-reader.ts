import type {
  Deserialized,
  DeserializerOptions,
  IncomingMessage,
  Located,
  LocateOptions,
} from '@schemawire/core-client';
import { Deserializer, decimalKeyIdCodec, locateSchemaId } from '@schemawire/core-client';

/**
 * The value reader of `consume --value-format base64|hex`: it decodes nothing and asks no registry.
 * Each value comes back as its bytes, labelled BYTES, with the schema id it carries, found once; a
 * malformed carrier names no id. A {@link Deserializer} only so the consumer takes it: none of its
 * decoding runs.
 */
export class UndecodedValueReader extends Deserializer {
  readonly #locateOptions: LocateOptions;

  constructor(options: Pick<DeserializerOptions, 'registry' | 'formats' | 'keyCarrier'>) {
    super(options);
    const { keyCarrier } = options;
    this.#locateOptions = {
      isKey: false,
      keyIdCodec: keyCarrier === true ? decimalKeyIdCodec : keyCarrier || undefined,
    };
  }

  override deserializeSync(message: IncomingMessage): Deserialized | null {
    const payload = message.value;
    if (payload === null) return null;
    let located: Located | undefined;
    try {
      located = locateSchemaId(payload, message.key, message.headers, this.#locateOptions);
    } catch {
      // The bytes print as they are; an id that does not read is no id.
      located = undefined;
    }
    return {
      schemaId: located?.schemaId.kind === 'id' ? located.schemaId.id : undefined,
      schemaType: 'BYTES',
      subject: undefined,
      version: undefined,
      carrier: located?.carrier,
      value: payload,
    };
  }

  override async deserialize(message: IncomingMessage): Promise<Deserialized | null> {
    return this.deserializeSync(message);
  }
}

/**
 * The value deserializer of `consume`: one that decodes with `options`, or with `decode` false (the
 * values print as bytes) an {@link UndecodedValueReader}.
 */
export function valueDeserializer(decode: boolean, options: DeserializerOptions): Deserializer {
  return decode ? new Deserializer(options) : new UndecodedValueReader(options);
}
