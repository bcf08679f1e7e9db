import { describe, expect, it } from '@jest/globals';
import {
  describeValue,
  ErrorCode,
  escapeControlCharacters,
  isSchemaWireError,
  registryAnswerFor,
  registryError,
  SchemaWireError,
  wrapError,
} from '@schemawire/core-client';

describe('errors > schemawire error', () => {
  it('is an Error with a stable code, a name and a message', () => {
    const error = new SchemaWireError(
      ErrorCode.InvalidPayload,
      'cannot read schema id: the payload is empty',
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SchemaWireError');
    expect(error.code).toBe('SCHEMAWIRE_INVALID_PAYLOAD');
    expect(error.message).toBe('cannot read schema id: the payload is empty');
    expect(error.cause).toBeUndefined();
  });

  it('is retriable by default only when the registry is unavailable', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(new SchemaWireError(code, 'x').retriable).toBe(code === ErrorCode.RegistryUnavailable);
    }
    expect(new SchemaWireError(ErrorCode.RegistryError, 'x', { retriable: true }).retriable).toBe(true);
    expect(new SchemaWireError(ErrorCode.RegistryUnavailable, 'x', { retriable: false }).retriable).toBe(
      false,
    );
  });

  it('keeps its cause and context', () => {
    const cause = new Error('socket hang up');
    const error = new SchemaWireError(ErrorCode.RegistryUnavailable, 'x', {
      cause,
      topic: 'orders',
      partition: 2,
      offset: '17',
      schemaId: 42,
      subject: 'orders-value',
      version: 3,
    });
    expect(error).toMatchObject({
      cause,
      topic: 'orders',
      partition: 2,
      offset: '17',
      schemaId: 42,
      subject: 'orders-value',
      version: 3,
    });
  });

  it('has one distinct SCHEMAWIRE_ code per entry', () => {
    const codes = Object.values(ErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^SCHEMAWIRE_[A-Z_]+$/);
  });
});

describe('errors > with context', () => {
  const cause = new Error('root');
  const original = new SchemaWireError(ErrorCode.DeserializationFailed, 'cannot decode: bad', {
    cause,
    schemaId: 7,
    retriable: true,
  });

  it('keeps the code, message, cause, retriable flag and stack', () => {
    const withContext = original.withContext({ topic: 'orders' });
    expect(withContext).toBeInstanceOf(SchemaWireError);
    expect(withContext).not.toBe(original);
    expect(withContext).toMatchObject({
      code: ErrorCode.DeserializationFailed,
      message: 'cannot decode: bad',
      cause,
    });
    expect(withContext.retriable).toBe(true);
    expect(withContext.stack).toBe(original.stack);
  });

  it('fills in unknown context and keeps what was known', () => {
    const withContext = original.withContext({ topic: 'orders', partition: 0, offset: '5', schemaId: 99 });
    expect(withContext).toMatchObject({ topic: 'orders', partition: 0, offset: '5', schemaId: 7 });
  });

  it('leaves the original alone', () => {
    original.withContext({ topic: 'orders' });
    expect(original.topic).toBeUndefined();
  });

  it('keeps the registry answer', () => {
    const error = registryError(40403, 404, 'schema not found').withContext({ topic: 'orders' });
    expect(error).toMatchObject({ registryErrorCode: 40403, httpStatus: 404, topic: 'orders' });
  });
});

describe('errors > is schemawire error', () => {
  const error = new SchemaWireError(ErrorCode.SchemaNotFound, 'cannot find schema: 7');

  it('recognizes a schemawire error, of a given code', () => {
    expect(isSchemaWireError(error)).toBe(true);
    expect(isSchemaWireError(error, ErrorCode.SchemaNotFound)).toBe(true);
    expect(isSchemaWireError(error, ErrorCode.SubjectNotFound)).toBe(false);
  });

  it('recognizes a plain copy, as from another copy of the package, by code and not by class', () => {
    const copy = { ...error };
    expect(copy).not.toBeInstanceOf(SchemaWireError);
    expect(isSchemaWireError(copy, ErrorCode.SchemaNotFound)).toBe(true);
    expect(isSchemaWireError(JSON.parse(JSON.stringify(error)), ErrorCode.SchemaNotFound)).toBe(true);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'SCHEMAWIRE_SCHEMA_NOT_FOUND'],
    ['a plain error', new Error('x')],
    [
      'an error with a foreign code',
      Object.assign(new Error('x'), { code: 'ECONNREFUSED', retriable: true }),
    ],
    ['a code without a retriable flag', { code: 'SCHEMAWIRE_SCHEMA_NOT_FOUND' }],
    ['a non-string code', { code: 404, retriable: false }],
  ])('rejects %s', (_name, value) => {
    expect(isSchemaWireError(value)).toBe(false);
  });
});

describe('errors > registry error table', () => {
  it.each<[number | undefined, number | undefined, ErrorCode, boolean]>([
    [40401, 404, ErrorCode.SubjectNotFound, false],
    [40402, 404, ErrorCode.VersionNotFound, false],
    [40403, 404, ErrorCode.SchemaNotFound, false],
    [409, 409, ErrorCode.IncompatibleSchema, false],
    [42201, 422, ErrorCode.InvalidSchema, false],
    [42202, 422, ErrorCode.InvalidRequest, false],
    [50001, 500, ErrorCode.RegistryError, false],
    [50002, 500, ErrorCode.RegistryUnavailable, true],
    [50003, 500, ErrorCode.RegistryUnavailable, true],
    [undefined, 401, ErrorCode.RegistryUnauthorized, false],
    [undefined, 403, ErrorCode.RegistryUnauthorized, false],
    [undefined, 503, ErrorCode.RegistryUnavailable, true],
    [undefined, 429, ErrorCode.RegistryUnavailable, true],
    [undefined, 404, ErrorCode.SchemaNotFound, false],
    [undefined, 418, ErrorCode.RegistryError, false],
    [undefined, undefined, ErrorCode.RegistryError, false],
    [99999, 500, ErrorCode.RegistryUnavailable, true],
  ])('maps error_code %s with HTTP %s to %s', (errorCode, httpStatus, code, retriable) => {
    const error = registryError(errorCode, httpStatus, 'detail');
    expect(error.code).toBe(code);
    expect(error.retriable).toBe(retriable);
    expect(error.registryErrorCode).toBe(errorCode);
    expect(error.httpStatus).toBe(httpStatus);
    expect(error.message).toBe('cannot complete registry request: detail');
  });

  it('keeps the context it is given', () => {
    expect(registryError(40401, 404, 'x', { subject: 'orders-value', schemaId: 3 })).toMatchObject({
      subject: 'orders-value',
      schemaId: 3,
    });
  });
});

describe('errors > registry answer for an error', () => {
  it.each<[number, number]>([
    [40401, 404],
    [40402, 404],
    [40403, 404],
    [409, 409],
    [42201, 422],
    [42202, 422],
    [50001, 500],
    [50002, 500],
  ])('answers error_code %d with HTTP %d, the inverse of the table', (errorCode, httpStatus) => {
    expect(registryAnswerFor(registryError(errorCode, httpStatus, 'x'))).toEqual({ errorCode, httpStatus });
  });

  it.each<[ErrorCode, number, number]>([
    [ErrorCode.SubjectNotFound, 40401, 404],
    [ErrorCode.VersionNotFound, 40402, 404],
    [ErrorCode.SchemaNotFound, 40403, 404],
    [ErrorCode.IncompatibleSchema, 409, 409],
    [ErrorCode.InvalidSchema, 42201, 422],
    [ErrorCode.InvalidRequest, 42202, 422],
    [ErrorCode.RegistryUnauthorized, 40101, 401],
    [ErrorCode.RegistryUnavailable, 50002, 500],
    [ErrorCode.InvalidPayload, 50001, 500],
  ])('answers a %s raised without a registry answer with %d and HTTP %d', (code, errorCode, httpStatus) => {
    expect(registryAnswerFor(new SchemaWireError(code, 'x'))).toEqual({ errorCode, httpStatus });
  });

  // Regression: an unauthorized error was answered as a 500 backend error.
  it('answers an unauthorized registry error with 401', () => {
    expect(registryAnswerFor(registryError(undefined, 401, 'x'))).toEqual({
      errorCode: 40101,
      httpStatus: 401,
    });
  });

  it('maps the answer back to the same code', () => {
    for (const code of [
      ErrorCode.SubjectNotFound,
      ErrorCode.VersionNotFound,
      ErrorCode.SchemaNotFound,
      ErrorCode.IncompatibleSchema,
      ErrorCode.InvalidSchema,
      ErrorCode.InvalidRequest,
      ErrorCode.RegistryUnauthorized,
      ErrorCode.RegistryUnavailable,
    ]) {
      const { errorCode, httpStatus } = registryAnswerFor(new SchemaWireError(code, 'x'));
      expect(registryError(errorCode, httpStatus, 'x').code).toBe(code);
    }
  });
});

describe('errors > wrap error', () => {
  it('wraps a foreign error with the code, the action and the cause', () => {
    const cause = new TypeError('bad thing');
    const error = wrapError(cause, ErrorCode.SerializationFailed, 'cannot serialize value', {
      topic: 'orders',
    });
    expect(error).toBeInstanceOf(SchemaWireError);
    expect(error).toMatchObject({
      code: ErrorCode.SerializationFailed,
      message: 'cannot serialize value: bad thing',
      cause,
      topic: 'orders',
    });
  });

  it('wraps a thrown non-error', () => {
    expect(wrapError('oops', ErrorCode.DeserializationFailed, 'cannot decode', {}).message).toBe(
      'cannot decode: oops',
    );
  });

  it('adds context to a schemawire error without changing its code or message', () => {
    const original = new SchemaWireError(ErrorCode.InvalidPayload, 'cannot read: short', { schemaId: 1 });
    const error = wrapError(original, ErrorCode.DeserializationFailed, 'cannot decode', {
      topic: 'orders',
      offset: undefined,
      schemaId: 2,
    });
    expect(error).toMatchObject({
      code: ErrorCode.InvalidPayload,
      message: 'cannot read: short',
      topic: 'orders',
      schemaId: 1,
    });
    expect(error.offset).toBeUndefined();
  });
});

describe('errors > escape control characters', () => {
  it.each([
    ['C0 controls and DEL', 'a\u0000\u001b[31m\u007f', 'a\\u0000\\u001b[31m\\u007f'],
    ['C1 controls', '\u0085\u009b', '\\u0085\\u009b'],
    ['line separators and bidirectional overrides', '\u2028\u202e\u2066', '\\u2028\\u202e\\u2066'],
    ['printable text, accents and emoji as they are', 'héllo "€" 🙂', 'héllo "€" 🙂'],
  ])('%s', (_, text, expected) => {
    expect(escapeControlCharacters(text)).toBe(expected);
  });
});

describe('errors > describe value', () => {
  it.each<[unknown, string]>([
    ['text', '"text"'],
    [42, '42'],
    [10n, '10n'],
    [new Uint8Array(3), '<3 bytes>'],
    [Buffer.alloc(5), '<5 bytes>'],
    [undefined, 'undefined'],
    [{ a: [1] }, '{"a":[1]}'],
  ])('prints %p as %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  it('shortens long values', () => {
    expect(describeValue('x'.repeat(200), 10)).toBe(`"${'x'.repeat(9)}…`);
  });

  it('prints a value JSON cannot', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(describeValue(circular)).toBe('[object Object]');
  });
});
