import type { CliIo } from '../cli-io.js';
import { writeLine } from '../cli-io.js';
import type { Command } from '../command.js';
import { globalHelp, parseCommandArgs, UsageError } from '../command.js';
import { jsonLine } from '../printable-json.js';
import { openRegistry } from '../registry-option.js';
import { withSubjectHint } from '../subject-hint.js';

/** `schemawire versions`: lists a subject's versions. */
export const versionsCommand: Command = {
  name: 'versions',
  summary: "list a subject's versions and their schema ids",
  help: `Usage: schemawire versions <subject>

Prints {"subject","version","id"} for each live version of the subject, oldest first.

${globalHelp}

Example:
  schemawire versions user`,
  run,
};

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {});
  const [subject, ...more] = positionals;
  if (subject === undefined || more.length > 0)
    throw new UsageError('cannot list versions: name one subject');
  const registry = openRegistry(values, io);
  const versions = await withSubjectHint(registry, subject, () => registry.listVersions(subject));
  for (const version of versions) {
    const { id } = await registry.getVersion(subject, version);
    writeLine(io.stdout, jsonLine({ subject, version, id }));
  }
  return 0;
}
