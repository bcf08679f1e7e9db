import type { CompatibilityLevel } from '@schemawire/core-client';
import { CompatibilityLevels, isCompatibilityLevel } from '@schemawire/core-client';
import type { CliIo } from '../cli-io.js';
import { writeLine } from '../cli-io.js';
import type { Command } from '../command.js';
import { globalHelp, oneOf, parseCommandArgs, UsageError } from '../command.js';
import { jsonLine } from '../printable-json.js';
import { openRegistry } from '../registry-option.js';
import { withSubjectHint } from '../subject-hint.js';

const options = {
  set: { type: 'string' },
} as const;

/** `schemawire config`: reads or sets a compatibility level. */
export const configCommand: Command = {
  name: 'config',
  summary: 'print or set the compatibility level of a subject or of the registry',
  help: `Usage: schemawire config [<subject>] [--set LEVEL]

Prints {"subject","compatibility"}: the subject's level (its own, else the registry's), or the
registry's global level when no subject is named (subject null). With --set it sets the level first.
Levels: ${CompatibilityLevels.join(', ')}.

Options:
  --set <LEVEL>           set the level (case does not matter)

${globalHelp}

Example:
  schemawire config user --set FULL`,
  run,
};

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, options);
  const [subject, ...more] = positionals;
  if (more.length > 0) throw new UsageError('cannot configure: name at most one subject');
  const level = values.set === undefined ? undefined : parseLevel(values.set);
  const registry = openRegistry(values, io);
  const compatibility = await withSubjectHint(registry, subject ?? '', async () => {
    if (level !== undefined) await registry.setCompatibility(level, subject);
    return registry.getCompatibility(subject);
  });
  writeLine(io.stdout, jsonLine({ subject: subject ?? null, compatibility }));
  return 0;
}

// Any case, as the levels are shouted in the registries' APIs but typed in lower case.
function parseLevel(text: string): CompatibilityLevel {
  const level = text.toUpperCase();
  return isCompatibilityLevel(level) ? level : oneOf('set', text, CompatibilityLevels);
}
