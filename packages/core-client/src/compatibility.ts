import type { CompatibilityLevel, CompatibilityResult, ResolvedSchema } from './schema.js';
import type { SchemaFormat } from './schema-format.js';

/**
 * The verdict for a subject with no versions yet: any schema may come first. The message says so, as
 * a bare "compatible" would read as a check against something.
 */
export function noVersionsYet(): CompatibilityResult {
  return { compatible: true, messages: ['subject has no versions'] };
}

/**
 * Checks `candidate` against the versions already registered (oldest first) at `level`, the way the
 * Confluent registry does: BACKWARD means the new schema reads data written with the old ones,
 * FORWARD the reverse, FULL both; the plain levels compare with the latest version only, the
 * _TRANSITIVE ones with all of them.
 */
export function checkCompatibility(
  format: SchemaFormat,
  candidate: ResolvedSchema,
  previous: readonly ResolvedSchema[],
  level: CompatibilityLevel,
): CompatibilityResult {
  if (level === 'NONE' || previous.length === 0) return { compatible: true, messages: [] };
  const transitive = level.endsWith('_TRANSITIVE');
  const against = transitive ? previous : previous.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const messages: string[] = [];
  for (const existing of against) {
    const version = existing.schema.version === undefined ? '' : ` version ${existing.schema.version}`;
    const [before, after] = [existing.schema.schemaType, candidate.schema.schemaType];
    if (before !== after) {
      // No format reads the other's data, and its rules could not even parse the other's schema.
      messages.push(
        `schema type changed from ${before} to ${after} (${version.trim() || 'an older version'})`,
      );
      continue;
    }
    if (backward) {
      for (const problem of format.readerIncompatibilities(candidate, existing, 'reader')) {
        messages.push(
          `backward: new schema cannot read data written with${version || ' an older version'}: ${problem}`,
        );
      }
    }
    if (forward) {
      for (const problem of format.readerIncompatibilities(existing, candidate, 'writer')) {
        messages.push(
          `forward:${version || ' an older version'} cannot read data written with the new schema: ${problem}`,
        );
      }
    }
  }
  return { compatible: messages.length === 0, messages };
}
