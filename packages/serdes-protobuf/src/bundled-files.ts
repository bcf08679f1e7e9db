import { createRequire } from 'node:module';
import protobuf from 'protobufjs';

// protobufjs bundles the well-known types as `protobuf.common` and ships descriptor.proto as JSON.
const DESCRIPTOR_PROTO = 'google/protobuf/descriptor.proto';
const require = createRequire(import.meta.url);
/** Nested definitions as `Root.addJSON` takes them. */
export type Definitions = Record<string, protobuf.AnyNestedObject>;

let descriptorJson: Definitions | undefined;
let descriptorRoot: protobuf.Root | undefined;

/**
 * The definitions of a file protobufjs bundles (the well-known types and descriptor.proto), as JSON
 * for `Root.addJSON`; undefined for any other file.
 */
export function bundledFile(name: string): Definitions | undefined {
  if (name === DESCRIPTOR_PROTO) return descriptorDefinitions();
  const common = protobuf.common.get(name) as { nested?: Definitions } | null;
  return common?.nested;
}

/** The `google.protobuf.FileDescriptorProto` type, to read serialized file descriptors. */
export function fileDescriptorProtoType(): protobuf.Type {
  if (descriptorRoot === undefined) {
    descriptorRoot = protobuf.Root.fromJSON({ nested: descriptorDefinitions() });
    descriptorRoot.resolveAll();
  }
  return descriptorRoot.lookupType('google.protobuf.FileDescriptorProto');
}

function descriptorDefinitions(): Definitions {
  descriptorJson ??= (require('protobufjs/google/protobuf/descriptor.json') as { nested: Definitions })
    .nested;
  return descriptorJson;
}
