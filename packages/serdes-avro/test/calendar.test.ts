import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import fc from 'fast-check';
import { failure } from './support/failures.js';
import { resolvedSchema } from './support/resolved-schemas.js';

const format = avroFormat();
const micros = format.compile(resolvedSchema({ type: 'long', logicalType: 'timestamp-micros' }));
const millis = format.compile(resolvedSchema({ type: 'long', logicalType: 'timestamp-millis' }));
const date = format.compile(resolvedSchema({ type: 'int', logicalType: 'date' }));

const readMicros = (text: string) => micros.decode(micros.encode(text, 0), 0);
const readDate = (text: string) => date.decode(date.encode(text, 0), 0);

describe('avro > calendar > ISO dates', () => {
  it('knows leap years', () => {
    expect(readDate('2000-02-29')).toEqual(new Date('2000-02-29T00:00:00Z'));
    expect(readDate('2024-02-29')).toEqual(new Date('2024-02-29T00:00:00Z'));
    failure(() => date.encode('1900-02-29', 0), ErrorCode.SerializationFailed);
    failure(() => date.encode('2023-02-29', 0), ErrorCode.SerializationFailed);
  });

  it('reads years below 100 as such, not as 19xx', () => {
    expect((readDate('0050-06-01') as Date).getUTCFullYear()).toBe(50);
  });

  it.each(['2024-13-01', '2024-00-10', '2024-04-31', '2024-4-1', '24-04-01', '2024-04-01 '])(
    'rejects %j',
    (text) => {
      failure(() => date.encode(text, 0), ErrorCode.SerializationFailed);
    },
  );

  it('agrees with Date for every day from year 0 to 9999', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (instant) => {
          const day = instant.toISOString().slice(0, 10);

          expect(readDate(day)).toEqual(new Date(`${day}T00:00:00Z`));
        },
      ),
    );
  });
});

describe('avro > calendar > ISO timestamps', () => {
  it('applies the zone offset', () => {
    expect(readMicros('2024-01-01T05:30:00+05:30')).toBe(Date.UTC(2024, 0, 1) * 1000);
    expect(readMicros('2023-12-31T23:00:00.5-01:00')).toBe(Date.UTC(2024, 0, 1) * 1000 + 500_000);
  });

  it('keeps up to six fraction digits and accepts zeros beyond them', () => {
    expect(readMicros('1970-01-01T00:00:00.000001Z')).toBe(1);
    expect(readMicros('1970-01-01T00:00:00.000001000Z')).toBe(1);
    failure(() => micros.encode('1970-01-01T00:00:00.000000001Z', 0), ErrorCode.SerializationFailed);
  });

  it.each([
    '2024-01-01T24:00:00Z',
    '2024-01-01T23:60:00Z',
    '2024-01-01T23:59:60Z',
    '2024-02-30T00:00:00Z',
    '2024-01-01T00:00:00+24:00',
    '2024-01-01T00:00Z',
    '2024-01-01T00:00:00',
    '2024-01-01t00:00:00z',
    '2024-01-01T00:00:00.Z',
  ])('rejects %j', (text) => {
    failure(() => micros.encode(text, 0), ErrorCode.SerializationFailed);
  });

  it('agrees with Date for every instant within 2^53 microseconds of 1970', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1700-01-01T00:00:00Z'),
          max: new Date('2250-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (instant) => {
          expect(readMicros(instant.toISOString())).toBe(instant.getTime() * 1000);
        },
      ),
    );
  });

  it('agrees with Date for every instant from year 0 to 9999 at millisecond precision', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (instant) => {
          expect(millis.decode(millis.encode(instant.toISOString(), 0), 0)).toEqual(instant);
        },
      ),
    );
  });

  it('keeps microseconds beyond 2^53, about 285 years from 1970, exact as bigints', () => {
    expect(readMicros('1600-01-01T00:00:00.000001Z')).toBe(BigInt(Date.UTC(1600, 0, 1)) * 1000n + 1n);
    expect(millis.decode(millis.encode('1600-01-01T00:00:00Z', 0), 0)).toEqual(
      new Date('1600-01-01T00:00:00Z'),
    );
  });
});
