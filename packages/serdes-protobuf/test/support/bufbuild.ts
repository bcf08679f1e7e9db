import { createRequire } from 'node:module';

/** What the interop tests use of @bufbuild/protobuf, the runtime of @confluentinc/schemaregistry. */
export interface Bufbuild {
  create(schema: unknown, init?: Record<string, unknown>): Record<string, unknown>;
  fromBinary(schema: unknown, bytes: Uint8Array): unknown;
  createFileRegistry(file: unknown, resolve: (name: string) => unknown): BufbuildRegistry;
  toBinary(schema: unknown, message: unknown): Uint8Array;
  toJson(schema: unknown, message: unknown, options?: { registry?: BufbuildRegistry }): unknown;
  fromJson(schema: unknown, json: unknown, options?: { registry?: BufbuildRegistry }): unknown;
  readonly FileDescriptorProtoSchema: unknown;
  /** The well-known types' files, by import path (`google/protobuf/timestamp.proto`). */
  readonly wellKnownFiles: ReadonlyMap<string, unknown>;
}

/** A @bufbuild/protobuf file registry: it finds message descriptors by full name. */
export interface BufbuildRegistry {
  getMessage(typeName: string): unknown;
}

/**
 * Loads @bufbuild/protobuf from beside @confluentinc/schemaregistry, whose dependency it is (the
 * workspace does not hoist it), through the test runtime's own loader, so both use one copy.
 */
export async function loadBufbuild(): Promise<Bufbuild> {
  const confluent = createRequire(createRequire(import.meta.url).resolve('@confluentinc/schemaregistry'));
  const main = (await import(confluent.resolve('@bufbuild/protobuf'))) as Record<string, unknown>;
  const wkt = (await import(confluent.resolve('@bufbuild/protobuf/wkt'))) as Record<string, unknown>;
  const wellKnownFiles = new Map(
    Object.entries(wkt)
      .filter(([name]) => name.startsWith('file_google_protobuf_'))
      .map(([name, file]) => [`google/protobuf/${name.slice('file_google_protobuf_'.length)}.proto`, file]),
  );
  return {
    ...main,
    FileDescriptorProtoSchema: wkt['FileDescriptorProtoSchema'],
    wellKnownFiles,
  } as unknown as Bufbuild;
}

/** The registry of one file given as a serialized descriptor; it imports only well-known types. */
export function bufbuildRegistry(bufbuild: Bufbuild, serialized: string): BufbuildRegistry {
  const file = bufbuild.fromBinary(bufbuild.FileDescriptorProtoSchema, Buffer.from(serialized, 'base64'));
  return bufbuild.createFileRegistry(file, (name) => bufbuild.wellKnownFiles.get(name));
}
