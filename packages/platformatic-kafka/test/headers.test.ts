import { Buffer } from 'node:buffer';
import { describe, expect, it } from '@jest/globals';
import { fromHeaderEntries } from '@schemawire/platformatic-kafka';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('platformatic-kafka > headers > fromHeaderEntries', () => {
  it('names as text, a repeated name as an array in order, none as undefined', () => {
    const headers = fromHeaderEntries([
      [bytes('origin'), bytes('shop')],
      [bytes('trace'), bytes('a')],
      [bytes('trace'), bytes('b')],
      [bytes('trace'), bytes('c')],
    ]);
    expect(Object.entries(headers!)).toEqual([
      ['origin', bytes('shop')],
      ['trace', [bytes('a'), bytes('b'), bytes('c')]],
    ]);
    expect(fromHeaderEntries([])).toBeUndefined();
  });

  it('a header named __proto__ is a header, not the prototype', () => {
    const headers = fromHeaderEntries([[bytes('__proto__'), bytes('x')]]);
    expect(Object.entries(headers!)).toEqual([['__proto__', bytes('x')]]);
  });
});
