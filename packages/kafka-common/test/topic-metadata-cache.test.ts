import { describe, expect, it } from '@jest/globals';
import { TopicMetadataCache } from '@schemawire/kafka-common';

describe('kafka common > topic metadata cache', () => {
  it('fetches a topic once while it is fresh, and again once it is older than the limit', async () => {
    const fetched: string[] = [];
    const cache = new TopicMetadataCache(async (topic) => {
      fetched.push(topic);
      return fetched.length;
    }, 30);
    expect(await cache.get('t')).toBe(1);
    expect(await cache.get('t')).toBe(1);
    expect(await cache.get('u')).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await cache.get('t')).toBe(3);
    expect(fetched).toEqual(['t', 'u', 't']);
  });

  it('does not keep a failed fetch: the next call asks again', async () => {
    let calls = 0;
    const cache = new TopicMetadataCache(async () => {
      calls++;
      if (calls === 1) throw new Error('broker down');
      return 6;
    });
    await expect(cache.get('t')).rejects.toThrow('broker down');
    expect(await cache.get('t')).toBe(6);
    expect(calls).toBe(2);
  });
});
