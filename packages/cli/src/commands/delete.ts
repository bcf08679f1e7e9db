import type { CliIo } from '../cli-io.js';
import { writeLine } from '../cli-io.js';
import type { Command } from '../command.js';
import { globalHelp, parseCommandArgs, parsePositiveInteger, UsageError } from '../command.js';
import { jsonLine } from '../printable-json.js';
import { openRegistry } from '../registry-option.js';
import { withSubjectHint } from '../subject-hint.js';

const options = {
  version: { type: 'string' },
  permanent: { type: 'boolean' },
} as const;

/** `schemawire delete`: deletes a subject or one of its versions. */
export const deleteCommand: Command = {
  name: 'delete',
  summary: 'delete a subject or one version of it (soft, or --permanent)',
  help: `Usage: schemawire delete <subject> [--version N] [--permanent]

Deletes the subject, or one version of it, and prints {"subject","versions","permanent"} with the
versions deleted. A delete is soft first (the versions stay readable by id, and register brings them
back); --permanent removes what was soft-deleted before, as in the Confluent API. On Apicurio's native
API a soft delete disables the versions.

Options:
  --version <N>           delete this version only
  --permanent             hard delete (the subject or version must be soft-deleted first)

${globalHelp}

Example:
  schemawire delete user --version 2`,
  run,
};

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, options);
  const [subject, ...more] = positionals;
  if (subject === undefined || more.length > 0) throw new UsageError('cannot delete: name one subject');
  const permanent = values.permanent === true;
  const registry = openRegistry(values, io);
  const versions = await withSubjectHint(registry, subject, async () =>
    values.version === undefined
      ? registry.deleteSubject(subject, { permanent })
      : [
          await registry.deleteVersion(subject, parsePositiveInteger('version', values.version), {
            permanent,
          }),
        ],
  );
  writeLine(io.stdout, jsonLine({ subject, versions, permanent }));
  return 0;
}
