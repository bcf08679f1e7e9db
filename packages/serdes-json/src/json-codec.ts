import { isUtf8 } from 'node:buffer';
import type { Longs, SchemaCodec } from '@schemawire/core-client';
import {
  describeValue,
  ErrorCode,
  escapeControlCharacters,
  jsonText,
  parseJsonExactly,
  SchemaWireError,
} from '@schemawire/core-client';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { holdsBigint, mapBigints } from './bigint-values.js';
import { utf8Body } from './text-body.js';

/** Validators of a {@link JsonCodec}: undefined where the format does not validate. */
export interface JsonCodecValidators {
  /** Checks values before they are written. */
  readonly encode: ValidateFunction | undefined;
  /** Checks values after they are read. */
  readonly decode: ValidateFunction | undefined;
}

/**
 * A compiled JSON Schema. The body of a message is the UTF-8 JSON text of the value; the schema is
 * only a check, run where the format's options ask for it. Integers beyond 2^53 are bigints, both
 * ways, or decimal text when read with `longs: 'string'`.
 */
export class JsonCodec implements SchemaCodec {
  declare readonly typeName?: string;
  readonly #validators: JsonCodecValidators;
  readonly #longs: Longs;
  /** Text read for a check comes as bigints first, which the check takes as numbers: text it cannot. */
  readonly #parseLongs: Longs;

  constructor(
    validators: JsonCodecValidators,
    typeName: string | undefined,
    longs: Longs = 'number-or-bigint',
  ) {
    this.#validators = validators;
    this.#longs = longs;
    this.#parseLongs = longs === 'string' && validators.decode !== undefined ? 'bigint' : longs;
    if (typeName !== undefined) this.typeName = typeName;
  }

  encode(value: unknown, headroom: number): Buffer {
    const validate = this.#validators.encode;
    if (validate !== undefined && !validate(value) && !validatesWithBigints(validate, value)) {
      throw new SchemaWireError(
        ErrorCode.SerializationFailed,
        `cannot serialize value: ${describeValidationError(validate.errors, value)}`,
      );
    }
    return utf8Body(jsonText(value, 'cannot serialize value'), headroom);
  }

  decode(payload: Buffer, offset: number): unknown {
    if (!Number.isInteger(offset) || offset < 0 || offset > payload.length) {
      throw deserializationError(`offset ${offset} is outside the ${payload.length}-byte payload`);
    }
    // A byte order mark is not part of the text, as TextDecoder and Jackson have it.
    const start = hasByteOrderMark(payload, offset) ? offset + 3 : offset;
    const text = payload.toString('utf8', start);
    // A body that is not UTF-8 is an error, not text with replacement characters; only text that
    // has one (rare) needs the bytes checked.
    if (text.includes('\uFFFD') && !isUtf8(payload.subarray(start))) {
      throw deserializationError('the body is not valid utf-8');
    }
    let value: unknown;
    try {
      value = parseJsonExactly(text, this.#parseLongs, payload, start);
    } catch (error) {
      throw deserializationError(
        // The parser's message quotes the body, which may hold control characters.
        `the body is not json: ${escapeControlCharacters(error instanceof Error ? error.message : String(error))}`,
        error,
      );
    }
    const validate = this.#validators.decode;
    if (validate !== undefined && !validate(value) && !validatesWithBigints(validate, value)) {
      throw deserializationError(describeValidationError(validate.errors, value));
    }
    if (this.#parseLongs !== this.#longs && holdsBigint(value)) value = mapBigints(value, String);
    return value;
  }
}

/**
 * Whether a value that failed the check passes it with its bigints as numbers. Only values that
 * failed pay for the search.
 */
function validatesWithBigints(validate: ValidateFunction, value: unknown): boolean {
  return holdsBigint(value) && validate(mapBigints(value, Number));
}

/**
 * The first problem ajv found (the hot path does not collect them all), as the JSON Pointer of the
 * offending value and ajv's message, with the value itself when it is a scalar.
 */
function describeValidationError(errors: ErrorObject[] | null | undefined, value: unknown): string {
  const error = errors?.[0];
  if (error === undefined) return 'the value does not match the schema';
  const path = error.instancePath;
  let detail = `${JSON.stringify(path === '' ? '/' : path)} ${error.message ?? `fails ${error.keyword}`}`;
  if (error.keyword === 'additionalProperties') {
    detail += `: ${JSON.stringify((error.params as { additionalProperty?: unknown }).additionalProperty)}`;
  } else {
    const found = valueAt(value, path);
    if (typeof found !== 'object' || found === null) detail += `, got ${describeValue(found)}`;
  }
  return detail;
}

function valueAt(value: unknown, pointer: string): unknown {
  let current = value;
  for (const token of pointer.split('/').slice(1)) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function hasByteOrderMark(payload: Buffer, offset: number): boolean {
  return payload[offset] === 0xef && payload[offset + 1] === 0xbb && payload[offset + 2] === 0xbf;
}

function deserializationError(detail: string, cause?: unknown): SchemaWireError {
  return new SchemaWireError(
    ErrorCode.DeserializationFailed,
    `cannot deserialize value: ${detail}`,
    cause === undefined ? {} : { cause },
  );
}
