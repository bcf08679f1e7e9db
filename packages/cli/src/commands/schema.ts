import type { RegisteredSchema } from '@schemawire/core-client';
import type { CliIo } from '../cli-io.js';
import { writeLine } from '../cli-io.js';
import type { Command } from '../command.js';
import { globalHelp, parseCommandArgs, parsePositiveInteger, UsageError } from '../command.js';
import { jsonLine } from '../printable-json.js';
import { openRegistry } from '../registry-option.js';
import { withSubjectHint } from '../subject-hint.js';

const options = {
  version: { type: 'string' },
  id: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** `schemawire schema`: prints a registered schema. */
export const schemaCommand: Command = {
  name: 'schema',
  summary: 'print a registered schema, by subject and version or by id',
  help: `Usage: schemawire schema <subject> [--version N|latest] [--json]
       schemawire schema --id N [--json]

Prints the schema's text as registered. With --json, the whole record on one line:
{"subject","version","id","schemaType","schema","references"} (subject and version as the registry
answers for an id; on Apicurio's native API the id is the contentId).

Options:
  --version <N|latest>    the version of the subject (default latest)
  --id <N>                the schema with this id instead of a subject's version
  --json                  print the record as JSON instead of the schema text

${globalHelp}

Example:
  schemawire schema user --version 1`,
  run,
};

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, options);
  const [subject, ...more] = positionals;
  if (more.length > 0) throw new UsageError('cannot get schema: name one subject');
  if ((subject === undefined) === (values.id === undefined)) {
    throw new UsageError('cannot get schema: name a subject or give --id, not both');
  }
  if (values.id !== undefined && values.version !== undefined) {
    throw new UsageError('cannot get schema: --version goes with a subject, not with --id');
  }
  const registry = openRegistry(values, io);
  let record: RegisteredSchema;
  if (subject === undefined) {
    record = await registry.getSchema({ kind: 'id', id: parsePositiveInteger('id', values.id!) });
  } else {
    const version =
      values.version === undefined || values.version === 'latest'
        ? 'latest'
        : parsePositiveInteger('version', values.version);
    record = await withSubjectHint(registry, subject, () => registry.getVersion(subject, version));
  }
  if (values.json !== true) {
    // The text as registered, ending in one newline whether or not it had one.
    writeLine(io.stdout, record.schema.replace(/\n$/, ''));
    return 0;
  }
  writeLine(
    io.stdout,
    jsonLine({
      subject: record.subject ?? subject ?? null,
      version: record.version ?? null,
      id: record.id,
      schemaType: record.schemaType,
      schema: record.schema,
      references: record.references,
    }),
  );
  return 0;
}
