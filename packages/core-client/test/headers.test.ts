import { describe, expect, it } from '@jest/globals';
import { lastHeader } from '@schemawire/core-client';

const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');

describe('headers > last header', () => {
  it('reads a Buffer header as it is', () => {
    const value = Buffer.from('abc');
    expect(lastHeader({ h: value }, 'h')).toBe(value);
  });

  it('reads a string header as its UTF-8 bytes', () => {
    expect(text(lastHeader({ h: 'héllo' }, 'h'))).toBe('héllo');
  });

  it('reads the last of repeated headers, as Kafka does', () => {
    expect(text(lastHeader({ h: [Buffer.from('first'), 'second'] }, 'h'))).toBe('second');
  });

  it('finds nothing for missing headers, missing names and empty lists', () => {
    expect(lastHeader(undefined, 'h')).toBeUndefined();
    expect(lastHeader({ other: 'x' }, 'h')).toBeUndefined();
    expect(lastHeader({ h: undefined }, 'h')).toBeUndefined();
    expect(lastHeader({ h: [] }, 'h')).toBeUndefined();
  });
});
