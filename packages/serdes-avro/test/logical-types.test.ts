import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import avsc from 'avsc';
import fc from 'fast-check';
import { failure } from './support/failures.js';
import { resolvedSchema } from './support/resolved-schemas.js';

const format = avroFormat();

function codecOf(schema: unknown) {
  return format.compile(resolvedSchema(schema));
}

function roundTrip(schema: unknown, value: unknown): unknown {
  const codec = codecOf(schema);
  return codec.decode(codec.encode(value, 0), 0);
}

function rejection(schema: unknown, value: unknown): string {
  return failure(() => codecOf(schema).encode(value, 0), ErrorCode.SerializationFailed).message;
}

const hex = (bytes: Buffer) => bytes.toString('hex');

describe('avro > logical types > timestamp-millis', () => {
  const schema = { type: 'long', logicalType: 'timestamp-millis' };
  const instant = new Date('2024-05-06T07:08:09.123Z');

  it('reads as a Date, written from a Date, an ISO string or epoch millis', () => {
    expect(roundTrip(schema, instant)).toEqual(instant);
    expect(roundTrip(schema, '2024-05-06T07:08:09.123Z')).toEqual(instant);
    expect(roundTrip(schema, '2024-05-06T09:08:09.123+02:00')).toEqual(instant);
    expect(roundTrip(schema, instant.getTime())).toEqual(instant);
  });

  it('writes the epoch millis as a long', () => {
    expect(codecOf(schema).encode(instant, 0)).toEqual(
      avsc.Type.forSchema('long').toBuffer(instant.getTime()),
    );
  });

  it.each([
    ['a text that is no timestamp', 'yesterday'],
    ['an ISO string without a zone', '2024-05-06T07:08:09'],
    ['microseconds it would lose', '2024-05-06T07:08:09.123456Z'],
    ['an invalid Date', new Date(Number.NaN)],
    ['a fractional number', 1.5],
    ['a boolean', true],
  ])('rejects %s', (_case, value) => {
    expect(rejection(schema, value)).toBe(
      `cannot serialize value: expected "timestamp-millis", got ${value instanceof Date ? 'null' : JSON.stringify(value)}`,
    );
  });
});

describe('avro > logical types > timestamp-micros', () => {
  const schema = { type: 'long', logicalType: 'timestamp-micros' };

  it('reads as a number of microseconds, exactly', () => {
    expect(roundTrip(schema, 1_714_979_289_123_456)).toBe(1_714_979_289_123_456);
    expect(roundTrip(schema, -1)).toBe(-1);
  });

  it('is written from a Date or an ISO string with microseconds', () => {
    expect(roundTrip(schema, new Date('2024-05-06T07:08:09.123Z'))).toBe(1_714_979_289_123_000);
    expect(roundTrip(schema, '2024-05-06T07:08:09.123456Z')).toBe(1_714_979_289_123_456);
    expect(roundTrip(schema, '1969-12-31T23:59:59.999999Z')).toBe(-1);
  });

  it.each([
    ['a fractional number', 1.5],
    ['a number beyond 2^53', 2 ** 60],
    ['nanoseconds it would lose', '2024-05-06T07:08:09.123456789Z'],
    ['a text that is no timestamp', '2024-05-06'],
  ])('rejects %s', (_case, value) => {
    expect(rejection(schema, value)).toMatch(/^cannot serialize value: expected "timestamp-micros", got /);
  });
});

describe('avro > logical types > date', () => {
  const schema = { type: 'int', logicalType: 'date' };

  it('reads as a Date at UTC midnight, written from such a Date or YYYY-MM-DD', () => {
    expect(roundTrip(schema, new Date('2024-02-29T00:00:00Z'))).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(roundTrip(schema, '2024-02-29')).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(roundTrip(schema, '1969-12-31')).toEqual(new Date('1969-12-31T00:00:00Z'));
  });

  it('writes the days since the epoch as an int', () => {
    expect(codecOf(schema).encode('1970-01-02', 0)).toEqual(Buffer.from([0x02]));
    expect(codecOf(schema).encode('1969-12-31', 0)).toEqual(Buffer.from([0x01]));
  });

  it.each([
    ['a Date with a time of day', new Date('2024-02-29T10:00:00Z')],
    ['a day that does not exist', '2023-02-29'],
    ['a timestamp', '2024-02-29T00:00:00Z'],
    ['a number', 19782],
  ])('rejects %s', (_case, value) => {
    expect(rejection(schema, value)).toMatch(/^cannot serialize value: expected "date", got /);
  });
});

describe('avro > logical types > uuid', () => {
  const schema = { type: 'string', logicalType: 'uuid' };

  it('writes a UUID as its string', () => {
    const id = '123e4567-E89B-12d3-a456-426614174000';

    expect(roundTrip(schema, id)).toBe(id);
    expect(codecOf(schema).encode(id, 0)).toEqual(avsc.Type.forSchema('string').toBuffer(id));
  });

  it.each(['not-a-uuid', '123e4567e89b12d3a456426614174000', '123e4567-e89b-12d3-a456-42661417400g', 42])(
    'rejects %j',
    (value) => {
      expect(rejection(schema, value)).toBe(
        `cannot serialize value: expected "uuid", got ${JSON.stringify(value)}`,
      );
    },
  );

  it('reads strings from writers that did not check them as they are', () => {
    const writer = resolvedSchema('"string"');
    const codec = format.compile(writer, { readerSchema: resolvedSchema(schema) });

    expect(codec.decode(format.compile(writer).encode('legacy-id', 0), 0)).toBe('legacy-id');
  });
});

describe('avro > logical types > decimal', () => {
  const onBytes = { type: 'bytes', logicalType: 'decimal', precision: 6, scale: 2 };
  const onFixed = { type: 'fixed', name: 'Money', size: 4, logicalType: 'decimal', precision: 9, scale: 2 };

  it.each([
    ['12.34', '12.34'],
    ['-12.34', '-12.34'],
    ['0.05', '0.05'],
    ['-0.05', '-0.05'],
    ['1.5', '1.50'],
    ['7', '7.00'],
    ['+3.10', '3.10'],
    ['1.230', '1.23'],
    ['1e2', '100.00'],
    ['125e-2', '1.25'],
    [12.5, '12.50'],
    [0.1, '0.10'],
    [-3, '-3.00'],
    [12n, '12.00'],
    ['9999.99', '9999.99'],
  ])('writes %j and reads it back as %j', (value, expected) => {
    expect(roundTrip(onBytes, value)).toBe(expected);
    expect(roundTrip(onFixed, value)).toBe(expected);
  });

  it('writes the unscaled integer as big-endian two’s complement', () => {
    const bytes = codecOf(onBytes);
    const fixed = codecOf(onFixed);

    expect(hex(bytes.encode('12.34', 0))).toBe('0404d2');
    expect(hex(bytes.encode('-0.01', 0))).toBe('02ff');
    expect(hex(bytes.encode('1.28', 0))).toBe('040080');
    expect(hex(bytes.encode('0', 0))).toBe('0200');
    expect(hex(fixed.encode('12.34', 0))).toBe('000004d2');
    expect(hex(fixed.encode('-0.01', 0))).toBe('ffffffff');
  });

  it.each([
    ['more digits than the precision', '10000.00'],
    ['fraction digits the scale would round away', '1.234'],
    ['a number the scale would round away', 0.125],
    ['a huge exponent', '1e999999999'],
    ['a text that is no number', '12,34'],
    ['an infinite number', Number.POSITIVE_INFINITY],
    ['a bigint with too many digits', 10000n],
  ])('rejects %s', (_case, value) => {
    expect(rejection(onBytes, value)).toMatch(/^cannot serialize value: expected "decimal\(6,2\)", got /);
  });

  it('reads data whose digits exceed the precision instead of failing', () => {
    const writer = format.compile(resolvedSchema('"bytes"'));
    const reader = format.compile(resolvedSchema('"bytes"'), { readerSchema: resolvedSchema(onBytes) });

    expect(reader.decode(writer.encode(Buffer.from('7fffffff', 'hex'), 0), 0)).toBe('21474836.47');
  });

  it('falls back to bytes when the precision does not fit the fixed size, as the Avro spec says', () => {
    const tooPrecise = { ...onFixed, precision: 10 };

    expect(roundTrip(tooPrecise, Buffer.from('00000001', 'hex'))).toEqual(Buffer.from('00000001', 'hex'));
  });

  it('falls back to bytes without a valid precision or scale', () => {
    const raw = Buffer.from('01', 'hex');

    expect(roundTrip({ type: 'bytes', logicalType: 'decimal' }, raw)).toEqual(raw);
    expect(roundTrip({ type: 'bytes', logicalType: 'decimal', precision: 2, scale: 3 }, raw)).toEqual(raw);
  });

  it('round-trips any value within the precision', () => {
    const codec = codecOf({ type: 'bytes', logicalType: 'decimal', precision: 30, scale: 4 });
    const limit = 10n ** 30n;
    fc.assert(
      fc.property(fc.bigInt({ min: -limit + 1n, max: limit - 1n }), (unscaled) => {
        const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(5, '0');
        const text = `${unscaled < 0n ? '-' : ''}${digits.slice(0, -4)}.${digits.slice(-4)}`;

        expect(codec.decode(codec.encode(text, 0), 0)).toBe(text);
      }),
    );
  });
});

describe('avro > logical types > schema resolution', () => {
  const millis = resolvedSchema({ type: 'long', logicalType: 'timestamp-millis' });
  const micros = resolvedSchema({ type: 'long', logicalType: 'timestamp-micros' });
  const decimal = (scale: number) =>
    resolvedSchema({ type: 'bytes', logicalType: 'decimal', precision: 6, scale });

  it('reads the underlying type into the logical type, and the logical type as its underlying type', () => {
    const long = resolvedSchema('"long"');

    expect(format.compile(long, { readerSchema: millis }).decode(Buffer.from([0x02]), 0)).toEqual(
      new Date(1),
    );
    expect(format.compile(millis, { readerSchema: long }).decode(Buffer.from([0x02]), 0)).toBe(1);
    expect(
      format.compile(resolvedSchema('"int"'), { readerSchema: millis }).decode(Buffer.from([0x04]), 0),
    ).toEqual(new Date(2));
  });

  it('reads the same logical type through', () => {
    expect(
      format.compile(decimal(2), { readerSchema: decimal(2) }).decode(Buffer.from('0204', 'hex'), 0),
    ).toBe('0.04');
  });

  it('does not read another logical type or another scale, which would change the values', () => {
    expect(format.readerIncompatibilities(millis, micros)).toEqual([
      'writer type "timestamp-micros" cannot be read as "timestamp-millis"',
    ]);
    expect(format.readerIncompatibilities(decimal(3), decimal(2))).toEqual([
      'writer type "decimal(6,2)" cannot be read as "decimal(6,3)"',
    ]);
  });
});

describe('avro > logical types > custom', () => {
  /** Reads and writes a string field as upper case, to see that a custom logical type applies. */
  class UpperCaseType extends avsc.types.LogicalType {
    protected override _fromValue(value: string): string {
      return value.toUpperCase();
    }
    protected override _toValue(value: unknown): string | undefined {
      return typeof value === 'string' ? value.toUpperCase() : undefined;
    }
    protected override _resolve(): undefined {
      return undefined;
    }
  }

  /** Overrides the built-in timestamp-millis to keep epoch millis as numbers. */
  class MillisNumberType extends avsc.types.LogicalType {
    protected override _fromValue(value: number): number {
      return value;
    }
    protected override _toValue(value: unknown): number | undefined {
      return typeof value === 'number' ? value : undefined;
    }
    protected override _resolve(): undefined {
      return undefined;
    }
  }

  const custom = avroFormat({
    logicalTypes: { 'upper-case': UpperCaseType, 'timestamp-millis': MillisNumberType },
  });
  const roundTripWith = (schema: unknown, value: unknown) => {
    const codec = custom.compile(resolvedSchema(schema));
    return codec.decode(codec.encode(value, 0), 0);
  };

  it('adds logical types', () => {
    expect(roundTripWith({ type: 'string', logicalType: 'upper-case' }, 'abc')).toBe('ABC');
  });

  it('replaces built-in logical types and keeps the other built-ins', () => {
    expect(roundTripWith({ type: 'long', logicalType: 'timestamp-millis' }, 5)).toBe(5);
    expect(roundTripWith({ type: 'int', logicalType: 'date' }, '1970-01-02')).toEqual(new Date(86_400_000));
  });

  it('leaves the default format as it was', () => {
    expect(roundTrip({ type: 'string', logicalType: 'upper-case' }, 'abc')).toBe('abc');
  });
});
