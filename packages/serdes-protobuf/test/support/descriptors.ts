import { createRequire } from 'node:module';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
const descriptorRoot = protobuf.Root.fromJSON(require('protobufjs/google/protobuf/descriptor.json'));
const FileDescriptorProto = descriptorRoot.lookupType('google.protobuf.FileDescriptorProto');

/**
 * A `FileDescriptorProto`, given as descriptor.proto's JSON (enums by name), as the base64 text
 * Confluent's registry and its JavaScript serializer use.
 */
export function serializedDescriptor(file: Record<string, unknown>): string {
  return Buffer.from(FileDescriptorProto.encode(FileDescriptorProto.fromObject(file)).finish()).toString(
    'base64',
  );
}

/** A field of a descriptor: `type` is a descriptor type without `TYPE_` (`int32`, `message`). */
export function descriptorField(
  name: string,
  number: number,
  type: string,
  extra: Record<string, unknown> = {},
) {
  return {
    name,
    number,
    label: 'LABEL_OPTIONAL',
    type: `TYPE_${type.toUpperCase()}`,
    jsonName: name.replace(/_(.)/g, (_match, char: string) => char.toUpperCase()),
    ...extra,
  };
}

/** The serialized descriptor of `multiMessageProto` (see proto-files.ts), as protoc would write it. */
export const multiMessageDescriptor = serializedDescriptor({
  name: 'pkg/multi.proto',
  package: 'pkg',
  syntax: 'proto3',
  messageType: [
    { name: 'First', field: [descriptorField('id', 1, 'int32'), descriptorField('name', 2, 'string')] },
    {
      name: 'Outer',
      field: [
        descriptorField('inner', 1, 'message', { typeName: '.pkg.Outer.Inner' }),
        descriptorField('count', 2, 'int64'),
      ],
      nestedType: [
        {
          name: 'Inner',
          field: [
            descriptorField('note', 1, 'string'),
            descriptorField('kind', 2, 'enum', { typeName: '.pkg.Kind' }),
          ],
        },
        { name: 'Other', field: [descriptorField('flag', 1, 'bool')] },
      ],
      enumType: [{ name: 'Mode', value: [{ name: 'MODE_UNSPECIFIED', number: 0 }] }],
    },
    { name: 'Last', field: [descriptorField('tags', 1, 'string', { label: 'LABEL_REPEATED' })] },
  ],
  enumType: [
    {
      name: 'Kind',
      value: [
        { name: 'KIND_UNSPECIFIED', number: 0 },
        { name: 'KIND_BIG', number: 1 },
      ],
    },
  ],
  service: [
    { name: 'Lookup', method: [{ name: 'Find', inputType: '.pkg.First', outputType: '.pkg.Outer' }] },
  ],
});
