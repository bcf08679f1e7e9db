import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import { protobufFormat } from '@schemawire/serdes-protobuf';
import { failure } from './support/failures.js';
import { dependency, resolvedSchema } from './support/resolved-schemas.js';

const format = protobufFormat();
const canonical = (text: string, normalize = false) => format.canonicalize(resolvedSchema(text), normalize);

const base = `syntax = "proto3";
package shop;
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
option java_package = "com.example.shop";
option java_multiple_files = true;
message Order {
  int64 id = 1;
  Line line = 2;
  repeated int32 quantities = 3;
  google.protobuf.Timestamp at = 4;
  message Line { string sku = 1; }
}
message Refund { int64 order_id = 1; }
`;

describe('protobuf > canonical text', () => {
  it('is the same whatever the whitespace and comments', () => {
    const spaced = `// An order schema.
syntax="proto3";package shop;
import "google/protobuf/timestamp.proto"; import 'google/protobuf/duration.proto';
/* options */ option java_package = "com.example.shop"; option java_multiple_files = true;
message Order {
  int64 id=1;   // the id
  Line line = 2; repeated int32 quantities = 3; google.protobuf.Timestamp at = 4;
  /** a line */
  message Line { string sku = 1; }
}
message Refund {
  int64 order_id = 1;
}`;
    expect(canonical(spaced)).toBe(canonical(base));
  });

  it('differs when a declaration differs', () => {
    expect(canonical(base.replace('int64 id = 1;', 'int64 id = 5;'))).not.toBe(canonical(base));
    expect(canonical(base.replace('"com.example.shop"', '"com.example.store"'))).not.toBe(canonical(base));
  });

  it('keeps string literals exact, escapes and all', () => {
    expect(canonical('option java_package = "a b";')).not.toBe(canonical('option java_package = "a  b";'));
    expect(canonical('option java_package = "a\\"b";')).not.toBe(canonical('option java_package = "ab";'));
    expect(canonical('option java_package = "a // b /* c";')).toBe('option java_package = "a // b /* c" ;');
  });

  it('gives the same id to the same schema however it is spaced or commented', async () => {
    const registry = new EmbeddedRegistry({ formats: [format] });
    const first = await registry.register('a', { schemaType: 'PROTOBUF', schema: base });
    const second = await registry.register('b', { schemaType: 'PROTOBUF', schema: `// copy\n${base}\n\n` });
    expect(second.id).toBe(first.id);
  });

  it('refuses text that does not tokenize', () => {
    expect(failure(() => canonical('message A { /* open'), ErrorCode.InvalidSchema).message).toBe(
      'cannot parse protobuf schema: illegal comment: it never ends',
    );
    expect(failure(() => canonical('option x = "open;'), ErrorCode.InvalidSchema).message).toBe(
      'cannot parse protobuf schema: illegal string: it never ends ("\\"open;")',
    );
  });
});

describe('protobuf > canonical text > normalized', () => {
  it.each<[string, string]>([
    [
      'fields in another order',
      base.replace('int64 id = 1;\n  Line line = 2;', 'Line line = 2;\n  int64 id = 1;'),
    ],
    [
      'imports in another order',
      base.replace(
        'import "google/protobuf/timestamp.proto";\nimport "google/protobuf/duration.proto";',
        'import "google/protobuf/duration.proto";\nimport "google/protobuf/timestamp.proto";',
      ),
    ],
    [
      'options in another order',
      base.replace(
        'option java_package = "com.example.shop";\noption java_multiple_files = true;',
        'option java_multiple_files = true;\noption java_package = "com.example.shop";',
      ),
    ],
    ['a type named relatively or in full', base.replace('Line line = 2;', '.shop.Order.Line line = 2;')],
    [
      'packed spelled out where it is the default',
      base.replace('repeated int32 quantities = 3;', 'repeated int32 quantities = 3 [packed = true];'),
    ],
    [
      'a JSON name spelled out as its default',
      base.replace('int64 order_id = 1;', 'int64 order_id = 1 [json_name = "orderId"];'),
    ],
    [
      'a nested message declared before the fields',
      base
        .replace('message Order {\n', 'message Order {\n  message Line { string sku = 1; }\n')
        .replace('  message Line { string sku = 1; }\n}', '}'),
    ],
  ])('is the same for %s', (_name, text) => {
    expect(canonical(text)).not.toBe(canonical(base));
    expect(canonical(text, true)).toBe(canonical(base, true));
  });

  it.each<[string, string]>([
    [
      'messages in another order, which changes their indexes',
      `syntax = "proto3";
package shop;
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
option java_package = "com.example.shop";
option java_multiple_files = true;
message Refund { int64 order_id = 1; }
message Order {
  int64 id = 1;
  Line line = 2;
  repeated int32 quantities = 3;
  google.protobuf.Timestamp at = 4;
  message Line { string sku = 1; }
}
`,
    ],
    ['a field number changed', base.replace('int64 order_id = 1;', 'int64 order_id = 2;')],
    [
      'packed turned off',
      base.replace('repeated int32 quantities = 3;', 'repeated int32 quantities = 3 [packed = false];'),
    ],
    [
      'a JSON name changed',
      base.replace('int64 order_id = 1;', 'int64 order_id = 1 [json_name = "refundOf"];'),
    ],
    ['a field made optional', base.replace('int64 order_id = 1;', 'optional int64 order_id = 1;')],
    ['another package', base.replace('package shop;', 'package store;')],
  ])('differs for %s', (_name, text) => {
    expect(canonical(text, true)).not.toBe(canonical(base, true));
  });

  it('qualifies a referenced type by the file that defines it', () => {
    const address = (pkg: string) =>
      `syntax = "proto3"; package ${pkg}; message Address { string city = 1; }`;
    const customer =
      'syntax = "proto3"; package shop; import "address.proto"; message Customer { Address address = 1; }';
    const inShop = resolvedSchema(customer, {
      dependencies: [dependency('address.proto', address('shop'), 'address')],
    });
    const inCommon = resolvedSchema(customer.replace('Address address', 'common.Address address'), {
      dependencies: [dependency('address.proto', address('common'), 'address')],
    });
    expect(format.canonicalize(inShop, true)).toContain('".shop.Address"');
    expect(format.canonicalize(inCommon, true)).toContain('".common.Address"');
  });

  it('gives the same id to schemas that only normalize the same when asked to normalize', async () => {
    const registry = new EmbeddedRegistry({ formats: [format] });
    const reordered = base.replace('int64 id = 1;\n  Line line = 2;', 'Line line = 2;\n  int64 id = 1;');
    const first = await registry.register('a', { schemaType: 'PROTOBUF', schema: base }, { normalize: true });
    const second = await registry.register(
      'b',
      { schemaType: 'PROTOBUF', schema: reordered },
      { normalize: true },
    );
    const third = await registry.register('c', { schemaType: 'PROTOBUF', schema: reordered });
    expect(second.id).toBe(first.id);
    expect(third.id).not.toBe(first.id);
  });
});
