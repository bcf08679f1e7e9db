import type { Schema, SchemaFormat, SchemaRegistryClient } from '@schemawire/core-client';
import {
  checkCompatibility,
  ErrorCode,
  isSchemaWireError,
  noVersionsYet,
  SchemaResolver,
} from '@schemawire/core-client';
import type { CliIo } from '../cli-io.js';
import { writeLine } from '../cli-io.js';
import type { Command } from '../command.js';
import { globalHelp, parseCommandArgs, UsageError } from '../command.js';
import { didYouMean } from '../did-you-mean.js';
import { requireFormat } from '../formats.js';
import { jsonLine } from '../printable-json.js';
import { openRegistry } from '../registry-option.js';
import { readSchemaFile } from '../schema-file.js';

const options = {
  subject: { type: 'string' },
  type: { type: 'string' },
  reference: { type: 'string', multiple: true },
} as const;

/** `schemawire check`: tests a schema file against a subject's compatibility level. */
export const checkCommand: Command = {
  name: 'check',
  summary: "test a schema file against a subject's compatibility level",
  help: `Usage: schemawire check <file> --subject S [--type avro|protobuf|json] [--reference name=subject:version]...

Tests whether the schema may be registered under the subject at the subject's compatibility level and
prints {"compatible","messages"}. Exits 0 when it is compatible, 1 when it is not. A subject with no
versions takes any schema: {"compatible":true,"messages":["subject has no versions"]}. A registry that
finds the schema incompatible without saying why (Apicurio Registry) gets its reasons computed here,
with the checker of the embedded registry, and marked so: {"compatible":false,"messages":[...],
"local":true}. check and compatibility are one command.

Options:
  --subject <S>           subject to test against (required)
  --type <type>           avro, protobuf or json (default: from the extension .avsc, .proto, .json)
  --reference <ref>       name=subject:version of a schema this one references (repeatable)

${globalHelp}

Example:
  schemawire check schemas/user.avsc --subject user-value`,
  run,
};

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, options);
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    throw new UsageError('cannot check schema: give one schema file');
  }
  if (values.subject === undefined) throw new UsageError('cannot check schema: --subject is required');
  const schema = await readSchemaFile(file, values, io);
  const format = requireFormat(schema.schemaType, `cannot check ${JSON.stringify(file)}`);
  const registry = openRegistry(values, io);
  let { compatible, messages } = await registry.testCompatibility(values.subject, schema);
  // Registries that find a first schema compatible without saying why: say it when that is the reason.
  if (compatible && messages.length === 0 && !(await hasVersions(registry, values.subject))) {
    ({ compatible, messages } = noVersionsYet());
  }
  if (messages.length === 1 && messages[0] === noVersionsYet().messages[0]) {
    // Any schema passes against a subject that is not there, so a misspelt one would pass unnoticed;
    // the hint is best effort, as the verdict stands without it.
    const subjects = await registry.listSubjects().catch(() => []);
    const meant = didYouMean(values.subject, subjects);
    if (meant !== '')
      writeLine(io.stderr, `warning: subject ${JSON.stringify(values.subject)} has no versions${meant}`);
  }
  if (compatible || messages.length > 0) {
    writeLine(io.stdout, jsonLine({ compatible, messages }));
    return compatible ? 0 : 1;
  }
  const local = await localReasons(registry, values.subject, schema, format);
  writeLine(io.stdout, jsonLine({ compatible, messages: local, local: true }));
  return 1;
}

/** `schemawire compatibility`: another name of `check`, as the Confluent API calls the check. */
export const compatibilityCommand: Command = {
  name: 'compatibility',
  summary: 'the same as check',
  help: checkCommand.help.replaceAll('schemawire check', 'schemawire compatibility'),
  run,
};

/**
 * Why `schema` is incompatible with `subject`, by the checker the embedded registry uses, against the
 * versions the subject's level compares with; Apicurio Registry says only that it is.
 */
async function localReasons(
  registry: SchemaRegistryClient,
  subject: string,
  schema: Schema,
  format: SchemaFormat,
): Promise<string[]> {
  const resolver = new SchemaResolver(registry);
  const [level, versions] = await Promise.all([
    registry.getCompatibility(subject),
    registry.listVersions(subject),
  ]);
  const against = level.endsWith('_TRANSITIVE') ? versions : versions.slice(-1);
  const previous = await Promise.all(against.map((version) => resolver.version(subject, version)));
  const { messages } = checkCompatibility(format, await resolver.resolveSchema(schema), previous, level);
  return messages.length > 0
    ? [...messages]
    : [
        `the registry found it incompatible at level ${level} without saying why, and the local check found no reason`,
      ];
}

async function hasVersions(registry: SchemaRegistryClient, subject: string): Promise<boolean> {
  try {
    return (await registry.listVersions(subject)).length > 0;
  } catch (error) {
    if (isSchemaWireError(error, ErrorCode.SubjectNotFound)) return false;
    throw error;
  }
}
