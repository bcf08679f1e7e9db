import { describe, expect, it } from '@jest/globals';
import { LruCache, SingleFlight } from '@schemawire/core-client';
import fc from 'fast-check';

/** A promise and the functions that settle it, to decide when a call finishes. */
function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('cache > lru', () => {
  it('forgets the least recently set entry when full', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    expect(cache.get('c')).toBe(3);
  });

  it('counts a read as a use, so the entry read survives', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
  });

  it('counts an overwrite as a use and keeps one entry per key', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 10);
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBe(10);
    expect(cache.get('b')).toBeUndefined();
  });

  it('keeps the recency order when the entry read last is read again', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('b')).toBe(2);
    expect(cache.get('b')).toBe(2);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
  });

  it('counts a read as a use again after the entry read last was deleted and set anew', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.delete('b');
    cache.set('b', 20);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    cache.clear();
    cache.set('x', 1);
    cache.set('y', 2);
    expect(cache.get('x')).toBe(1);
    cache.set('z', 3);
    expect(cache.get('y')).toBeUndefined();
  });

  it('deletes and clears', () => {
    const cache = new LruCache<number, string>(3);
    cache.set(1, 'x');
    cache.set(2, 'y');
    cache.delete(1);
    expect(cache.get(1)).toBeUndefined();
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get(2)).toBeUndefined();
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the size %d', (max) => {
    expect(() => new LruCache(max)).toThrow(RangeError);
  });

  // The entry read or set last is answered without a lookup: its value must follow every change.
  it('behaves like a list ordered by last use, bounded by its size', () => {
    type Op =
      | { kind: 'set'; key: number; value: number }
      | { kind: 'get'; key: number }
      | { kind: 'delete'; key: number }
      | { kind: 'clear' };
    const key = fc.integer({ min: 0, max: 7 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key, value: fc.integer() }),
      fc.record({ kind: fc.constant('get' as const), key }),
      fc.record({ kind: fc.constant('delete' as const), key }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 60 }), (max, ops) => {
        const cache = new LruCache<number, number>(max);
        // The model: entries from least to most recently used.
        let model: [number, number][] = [];
        for (const o of ops) {
          if (o.kind === 'clear') {
            cache.clear();
            model = [];
            continue;
          }
          const found = model.find(([k]) => k === o.key);
          if (o.kind === 'get') {
            expect(cache.get(o.key)).toBe(found?.[1]);
            if (found) model = [...model.filter(([k]) => k !== o.key), found];
          } else if (o.kind === 'set') {
            cache.set(o.key, o.value);
            model = [...model.filter(([k]) => k !== o.key), [o.key, o.value]];
            if (model.length > max) model = model.slice(1);
          } else {
            cache.delete(o.key);
            model = model.filter(([k]) => k !== o.key);
          }
          expect(cache.size).toBe(model.length);
          expect(cache.size).toBeLessThanOrEqual(max);
        }
      }),
    );
  });
});

describe('cache > single flight', () => {
  it('shares one call among concurrent callers of a key', async () => {
    const flight = new SingleFlight<string, number>();
    const gate = deferred<number>();
    let calls = 0;
    const call = () => {
      calls++;
      return gate.promise;
    };
    const results = Promise.all([flight.run('a', call), flight.run('a', call), flight.run('a', call)]);
    gate.resolve(7);
    expect(await results).toEqual([7, 7, 7]);
    expect(calls).toBe(1);
  });

  it('runs different keys separately', async () => {
    const flight = new SingleFlight<string, string>();
    const seen: string[] = [];
    const run = (key: string) =>
      flight.run(key, async () => {
        seen.push(key);
        return key.toUpperCase();
      });
    expect(await Promise.all([run('a'), run('b'), run('a')])).toEqual(['A', 'B', 'A']);
    expect(seen).toEqual(['a', 'b']);
  });

  it('keeps no result: the next call after one finished runs again', async () => {
    const flight = new SingleFlight<string, number>();
    let calls = 0;
    const call = async () => ++calls;
    expect(await flight.run('a', call)).toBe(1);
    expect(await flight.run('a', call)).toBe(2);
  });

  it('hands a failure to every waiting caller and does not keep it', async () => {
    const flight = new SingleFlight<string, number>();
    const gate = deferred<number>();
    let calls = 0;
    const failing = () => {
      calls++;
      return gate.promise;
    };
    const first = flight.run('a', failing);
    const second = flight.run('a', failing);
    gate.reject(new Error('registry down'));
    await expect(first).rejects.toThrow('registry down');
    await expect(second).rejects.toThrow('registry down');
    expect(calls).toBe(1);
    expect(
      await flight.run('a', async () => {
        calls++;
        return 5;
      }),
    ).toBe(5);
    expect(calls).toBe(2);
  });
});
