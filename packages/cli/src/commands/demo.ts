import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { SchemaIdCarrier, SerializedPayload } from '@schemawire/core-client';
import { Deserializer, SchemaResolver, Serializer } from '@schemawire/core-client';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import { formatBytes } from '../bytes-encoding.js';
import type { CliIo } from '../cli-io.js';
import { writeLine } from '../cli-io.js';
import type { Command } from '../command.js';
import { globalHelp, parseCommandArgs, UsageError } from '../command.js';
import { cliFormats } from '../formats.js';
import { jsonLine, toPrintable } from '../printable-json.js';
import { readSchemaFile } from '../schema-file.js';

const options = { schemas: { type: 'string' } } as const;

/** The record the demo writes: the seed user of the example schema. */
const USER = { first_name: 'John', last_name: 'Doe', age: 30 };
const TOPIC = 'user';
const CARRIERS: readonly SchemaIdCarrier[] = ['prefix', 'confluent-header', 'apicurio-header', 'key'];

/** `schemawire demo`: the offline walkthrough of every schema id carrier. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'walk through every schema id carrier offline, with an embedded registry',
  help: `Usage: schemawire demo [--schemas <dir>]

Registers <dir>/user.avsc under "user-value" in a fresh embedded registry (in a temporary directory),
encodes a user with each schema id carrier (prefix, Confluent header, Apicurio header, key) and decodes
each with one deserializer that is told none of them. Exits 1 when a value does not come back intact.

Options:
  --schemas <dir>         directory holding user.avsc (default ./schemas)

${globalHelp}

Example:
  schemawire demo --schemas schemas`,
  run,
};

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, options);
  if (positionals.length > 0) {
    throw new UsageError(`cannot run demo: unexpected argument ${JSON.stringify(positionals[0])}`);
  }
  const file = join(values.schemas ?? 'schemas', 'user.avsc');
  const schema = await readSchemaFile(file, {}, io);
  const dir = await mkdtemp(join(tmpdir(), 'schemawire-demo-'));
  try {
    const registry = new EmbeddedRegistry({ formats: [...cliFormats], dir });
    const registered = await registry.register(`${TOPIC}-value`, schema);
    writeLine(
      io.stdout,
      `registered ${file} as subject "${TOPIC}-value" version ${registered.version ?? 'unknown'}, schema id ${registered.id}`,
    );
    writeLine(io.stdout, `encoding ${JSON.stringify(USER)} for topic "${TOPIC}" with each carrier`);
    // Serializers share one resolver; the deserializer gets its own, as a consumer in another process would.
    const resolver = new SchemaResolver(registry);
    const deserializer = new Deserializer({ registry, formats: cliFormats, keyCarrier: true });
    let failed = 0;
    for (const carrier of CARRIERS) {
      const serializer = new Serializer({
        registry: resolver,
        formats: cliFormats,
        useLatestVersion: true,
        carrier,
      });
      const payload = await serializer.serialize(TOPIC, USER);
      // A value of bytes never decodes to null; only a tombstone does.
      const decoded = (await deserializer.deserialize({
        value: payload.bytes,
        key: payload.key ?? null,
        headers: payload.headers ?? {},
      }))!;
      writeLine(io.stdout, '');
      writeLine(io.stdout, `${carrier}`);
      writeLine(io.stdout, `  value bytes  ${formatBytes(payload.bytes!, 'hex')}`);
      writeLine(io.stdout, `  schema id    ${whereTheIdTravels(payload)}`);
      writeLine(
        io.stdout,
        `  decoded      ${jsonLine(decoded.value)} (schema id ${decoded.schemaId}, ${decoded.schemaType}, found in ${decoded.carrier})`,
      );
      if (!isDeepStrictEqual(toPrintable(decoded.value), USER)) {
        failed += 1;
        writeLine(
          io.stderr,
          `error: cannot round-trip with the ${carrier} carrier: the decoded value differs from the input`,
        );
      }
    }
    writeLine(io.stdout, '');
    writeLine(
      io.stdout,
      failed === 0 ? 'every carrier round-tripped' : `${failed} carrier(s) did not round-trip`,
    );
    return failed === 0 ? 0 : 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function whereTheIdTravels(payload: SerializedPayload): string {
  const [header] = Object.entries(payload.headers ?? {});
  if (header !== undefined) return `in header ${header[0]} = ${formatBytes(header[1], 'hex')}`;
  if (payload.key !== undefined) {
    return `in the message key = ${JSON.stringify(payload.key.toString('utf8'))}`;
  }
  return `in the value prefix = ${formatBytes(payload.bytes!.subarray(0, 5), 'hex')} (magic byte 00, 4-byte id)`;
}
