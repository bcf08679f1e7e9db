import { basename, extname, join, resolve } from 'node:path';
import { registerSchemaFolder } from '@schemawire/registry-adapter';
import type { CliIo } from '../cli-io.js';
import { writeLine } from '../cli-io.js';
import type { Command } from '../command.js';
import { globalHelp, parseCommandArgs, UsageError } from '../command.js';
import { requireFormat } from '../formats.js';
import { jsonLine } from '../printable-json.js';
import type { RegistryOptions } from '../registry-option.js';
import { openRegistry } from '../registry-option.js';
import { readSchemaFile } from '../schema-file.js';

const options = {
  subject: { type: 'string' },
  type: { type: 'string' },
  reference: { type: 'string', multiple: true },
  dir: { type: 'string' },
} as const;

/** `schemawire register`: registers schema files, one subject each. */
export const registerCommand: Command = {
  name: 'register',
  summary: 'register schema files, or a whole folder, under subjects',
  help: `Usage: schemawire register <file>... [--subject S] [--type avro|protobuf|json] [--reference name=subject:version]...
       schemawire register --dir <folder>

Registers each file under a subject and prints {"subject","version","id"} per file. Registering the
same schema again answers with the same id and version.

With --dir it registers every .avsc, .proto and .json file of the folder, referenced files first, and
prints {"file","subject","version","id"} per file. Subjects are the file names without extension
unless the folder's manifest, schemas.json, says otherwise; it also lists each file's references:
  {"user.avsc": {"subject": "user-value",
                 "references": [{"name": "io.example.Address", "file": "address.avsc"}]},
   "order.avsc": {"references": [{"name": "io.example.Money", "subject": "money", "version": 2}]}}

Options:
  --subject <S>           subject (default: the file name without extension); only with one file
  --type <type>           avro, protobuf or json (default: from the extension .avsc, .proto, .json)
  --reference <ref>       name=subject:version of a schema this one references (repeatable)
  --dir <folder>          register a whole folder, as above

${globalHelp}

Example:
  schemawire register schemas/user.avsc --subject user-value`,
  run,
};

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals: files } = parseCommandArgs(argv, options);
  if (values.dir !== undefined) return registerFolder(values.dir, files, values, io);
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

async function registerFolder(
  dir: string,
  files: readonly string[],
  values: RegistryOptions & {
    readonly subject?: string | undefined;
    readonly type?: string | undefined;
    readonly reference?: readonly string[] | undefined;
  },
  io: CliIo,
): Promise<number> {
  if (
    files.length > 0 ||
    values.subject !== undefined ||
    values.type !== undefined ||
    values.reference !== undefined
  ) {
    throw new UsageError(
      'cannot register schemas: --dir takes no files, --subject, --type or --reference; the folder and its schemas.json say them',
    );
  }
  const registered = await registerSchemaFolder(openRegistry(values, io), resolve(io.cwd, dir));
  for (const { file, subject, schema } of registered) {
    writeLine(
      io.stdout,
      jsonLine({ file: join(dir, basename(file)), subject, version: schema.version, id: schema.id }),
    );
  }
  return 0;
}
