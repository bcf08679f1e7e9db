import type { SchemaRegistryClient } from '@schemawire/core-client';

/**
 * The first subject that holds schema `id`, or undefined when the registry cannot say. It only names
 * the subject of a message already decoded, so a failure, or an answer of a shape of its own, leaves
 * the subject unknown rather than failing the decode.
 */
export async function subjectOfId(registry: SchemaRegistryClient, id: number): Promise<string | undefined> {
  let versions: unknown;
  try {
    versions = await registry.getSubjectVersionsOfId(id);
  } catch {
    return undefined;
  }
  const first: unknown = Array.isArray(versions) ? versions[0] : undefined;
  const subject =
    typeof first === 'object' && first !== null ? (first as { subject?: unknown }).subject : undefined;
  return typeof subject === 'string' ? subject : undefined;
}
