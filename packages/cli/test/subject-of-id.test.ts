import { describe, expect, it } from '@jest/globals';
import type { SchemaRegistryClient } from '@schemawire/core-client';
// Internal to the CLI, so read from the built package, as the other tests read it.
import { subjectOfId } from '../dist/subject-of-id.js';

/** A registry whose only answer is the one to the subjects of a schema id. */
function registryAnswering(answer: () => Promise<unknown>): SchemaRegistryClient {
  return { getSubjectVersionsOfId: answer } as unknown as SchemaRegistryClient;
}

describe('cli > subject of id', () => {
  it('is the first subject the registry names', async () => {
    const registry = registryAnswering(async () => [
      { subject: 'a-value', version: 2 },
      { subject: 'b-value', version: 1 },
    ]);
    expect(await subjectOfId(registry, 1)).toBe('a-value');
  });

  it.each([
    ['a failure', () => Promise.reject(new Error('store down'))],
    ['null', async () => null],
    ['an object', async () => ({ subject: 'a-value' })],
    ['a list of null', async () => [null]],
    ['an entry whose subject is no string', async () => [{ subject: 5 }]],
    ['an empty list', async () => []],
  ])('is undefined, never an error, when the registry answers %s', async (_, answer) => {
    expect(await subjectOfId(registryAnswering(answer), 1)).toBeUndefined();
  });
});
