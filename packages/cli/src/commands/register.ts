import { basename, extname } from 'node:path';
import type { CliIo } from '../cli-io.js';
import { writeLine } from '../cli-io.js';
import type { Command } from '../command.js';
import { globalHelp, parseCommandArgs, UsageError } from '../command.js';
import { requireFormat } from '../formats.js';
import { jsonLine } from '../printable-json.js';
import { openRegistry } from '../registry-option.js';
import { readSchemaFile } from '../schema-file.js';

const options = {
  subject: { type: 'string' },
  type: { type: 'string' },
  reference: { type: 'string', multiple: true },
} as const;

/** `schemawire register`: registers schema files, one subject each. */
export const registerCommand: Command = {
  name: 'register',
  summary: 'register schema files under subjects',
  help: `Usage: schemawire register <file>... [--subject S] [--type avro|protobuf|json] [--reference name=subject:version]...

Registers each file under a subject and prints {"subject","version","id"} per file. Registering the
same schema again answers with the same id and version.

Options:
  --subject <S>           subject (default: the file name without extension); only with one file
  --type <type>           avro, protobuf or json (default: from the extension .avsc, .proto, .json)
  --reference <ref>       name=subject:version of a schema this one references (repeatable)

${globalHelp}

Example:
  schemawire register schemas/user.avsc --subject user-value`,
  run,
};

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals: files } = parseCommandArgs(argv, options);
  if (files.length === 0) throw new UsageError('cannot register schemas: no schema file given');
  if (values.subject !== undefined && files.length > 1) {
    throw new UsageError('cannot register schemas: --subject names one subject, so it takes one file');
  }
  const registry = openRegistry(values, io);
  for (const file of files) {
    const schema = await readSchemaFile(file, values, io);
    requireFormat(schema.schemaType, `cannot register ${JSON.stringify(file)}`);
    const subject = values.subject ?? basename(file, extname(file));
    const registered = await registry.register(subject, schema);
    // A Confluent-API registration answers with the id only; the version takes a look-up.
    const version = registered.version ?? (await registry.lookup(subject, schema)).version;
    writeLine(io.stdout, jsonLine({ subject, version, id: registered.id }));
  }
  return 0;
}
