import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { mergeCarrierHeaders } from '@schemawire/kafkajs';
import fc from 'fast-check';

const id = Buffer.from([0, 0, 0, 0, 0, 0, 0, 7]);

describe('kafkajs > carrier headers > merge', () => {
  it('adds the id headers to the message headers without changing either', () => {
    const headers = { 'trace-id': 'abc' };
    const carrier = { 'apicurio.value.contentId': id };
    expect(mergeCarrierHeaders(headers, carrier)).toEqual({
      'trace-id': 'abc',
      'apicurio.value.contentId': id,
    });
    expect(headers).toEqual({ 'trace-id': 'abc' });
    expect(carrier).toEqual({ 'apicurio.value.contentId': id });
  });

  it('hands back the one side that is there, without copying', () => {
    const headers = { 'trace-id': 'abc' };
    const carrier = { __value_schema_id: id };
    expect(mergeCarrierHeaders(headers, undefined)).toBe(headers);
    expect(mergeCarrierHeaders(undefined, carrier)).toBe(carrier);
    expect(mergeCarrierHeaders(undefined, undefined)).toBeUndefined();
  });

  it('refuses a message header of the same name, naming it', () => {
    expect(() => mergeCarrierHeaders({ __value_schema_id: 'mine' }, { __value_schema_id: id })).toThrow(
      expect.objectContaining({
        code: ErrorCode.Config,
        message: 'cannot add schema id header: the message sets header "__value_schema_id" itself',
      }),
    );
  });

  it('takes a header the message left undefined, and names that only look alike, as free', () => {
    expect(mergeCarrierHeaders({ __value_schema_id: undefined }, { __value_schema_id: id })).toEqual({
      __value_schema_id: id,
    });
    expect(mergeCarrierHeaders({ __VALUE_SCHEMA_ID: 'x' }, { __value_schema_id: id })).toEqual({
      __VALUE_SCHEMA_ID: 'x',
      __value_schema_id: id,
    });
    // An inherited name is not a header the message set.
    expect(mergeCarrierHeaders({}, { constructor: id })).toEqual({ constructor: id });
  });

  it('keeps every header of both sides when their names differ', () => {
    const name = fc.string({ minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.dictionary(name, fc.string()), fc.dictionary(name, fc.uint8Array()), (headers, raw) => {
        const carrier = Object.fromEntries(
          Object.entries(raw)
            .filter(([key]) => !Object.hasOwn(headers, key))
            .map(([key, bytes]) => [key, Buffer.from(bytes)]),
        );
        expect(mergeCarrierHeaders(headers, carrier)).toEqual({ ...headers, ...carrier });
      }),
    );
  });
});
