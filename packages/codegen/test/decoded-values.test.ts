import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import type { ResolvedDependency, SchemaType } from '@schemawire/core-client';
import { resolvedSchema } from '@schemawire/core-client';
import { avroFormat, avroSchemaType } from '@schemawire/serdes-avro';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { protobufFormat, protobufSchemaRoot } from '@schemawire/serdes-protobuf';
import fc from 'fast-check';
import { avroValues, jsonSchemaValues, protobufValues } from './support/arbitraries.js';
import type { TypedValue } from './support/type-check.js';
import { typeCheck } from './support/type-check.js';

const here = dirname(fileURLToPath(import.meta.url));
const RUNS = 40;

async function fixture(path: string): Promise<string> {
  return readFile(join(here, 'fixtures', path), 'utf8');
}

function dependency(schemaType: SchemaType, name: string, text: string): ResolvedDependency {
  return { name, schema: { id: 2, schemaType, schema: text, references: [] } };
}

/**
 * Random valid values, written and read back by the real codecs; each decoded value must have the
 * generated value type and each written one the input type, as the compiler sees them.
 */
describe('codegen > decoded values have the generated types', () => {
  it('for Avro, Protobuf and JSON Schema', async () => {
    const checked: TypedValue[] = [];
    const collect = (
      arbitrary: fc.Arbitrary<unknown>,
      codec: {
        encode(value: unknown, headroom: number): Buffer;
        decode(payload: Buffer, offset: number): unknown;
      },
      module: string,
      valueType: string,
      inputType: string,
    ) => {
      fc.assert(
        fc.property(arbitrary, (input) => {
          const value = codec.decode(codec.encode(input, 0), 0);
          checked.push({ module, type: inputType, value: input }, { module, type: valueType, value });
        }),
        { numRuns: RUNS },
      );
    };

    const avro = resolvedSchema('AVRO', await fixture('avro/customer.avsc'), {
      dependencies: [dependency('AVRO', 'shop.avro.Address', await fixture('avro/address.avsc'))],
    });
    const customer = join(here, 'generated/customer.js');
    collect(
      avroValues(avroSchemaType(avro)),
      avroFormat().compile(avro),
      customer,
      'Customer',
      'CustomerInput',
    );

    const proto = resolvedSchema('PROTOBUF', await fixture('protobuf/order.proto'), {
      dependencies: [
        dependency('PROTOBUF', 'common/money.proto', await fixture('protobuf/common/money.proto')),
      ],
    });
    const { messages } = protobufSchemaRoot(proto);
    const order = join(here, 'generated/order.js');
    const format = protobufFormat();
    collect(protobufValues(messages[0]!), format.compile(proto), order, 'Order', 'OrderInput');
    collect(
      protobufValues(messages.find((message) => message.name === 'Refund')!),
      format.compile(proto, { messageName: 'shop.Refund' }),
      order,
      'Refund',
      'RefundInput',
    );

    const addressText = await fixture('json/postal-address.json');
    const personText = await fixture('json/person.json');
    const json = resolvedSchema('JSON', personText, {
      dependencies: [dependency('JSON', 'postal-address.json', addressText)],
    });
    const person = JSON.parse(personText) as Record<string, unknown>;
    collect(
      jsonSchemaValues(person, person, { 'postal-address.json': JSON.parse(addressText) }),
      jsonSchemaFormat().compile(json),
      join(here, 'generated/person.js'),
      'Person',
      'Person',
    );

    expect(checked.length).toBe(2 * 4 * RUNS);
    expect(await typeCheck(checked)).toBe('');
  }, 120_000);

  it('finds a value that does not have its type', async () => {
    const errors = await typeCheck([
      {
        module: join(here, 'generated/address.js'),
        type: 'Address',
        value: { street: 'x', kind: 'SHOP', zip: null },
      },
    ]);
    expect(errors).toContain('"SHOP"');
  }, 60_000);
});
