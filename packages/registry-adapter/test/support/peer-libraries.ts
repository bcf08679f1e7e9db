// The peer libraries' type declarations do not check under this repo's settings (skipLibCheck off,
// exactOptionalPropertyTypes on), and one names a package that is not installed. So the tests load them
// by a specifier TypeScript does not resolve, and describe here the little they use.

/** What the tests use of @kafkajs/confluent-schema-registry's `SchemaRegistry`. */
export interface KafkaJsSchemaRegistry {
  register(schema: { type: 'AVRO'; schema: string }, options: { subject: string }): Promise<{ id: number }>;
  encode(id: number, value: unknown): Promise<Buffer>;
  decode(payload: Buffer): Promise<unknown>;
  getLatestSchemaId(subject: string): Promise<number>;
}

/** What the tests use of @confluentinc/schemaregistry's `SchemaRegistryClient`. */
export interface ConfluentSchemaRegistryClient {
  register(subject: string, schema: { schemaType: string; schema: string }): Promise<number>;
  getId(subject: string, schema: { schemaType: string; schema: string }): Promise<number>;
  getBySubjectAndId(subject: string, id: number): Promise<{ schema: string }>;
  getLatestSchemaMetadata(subject: string): Promise<{ id: number; version: number }>;
}

/** A @kafkajs/confluent-schema-registry client of the registry at `host`. */
export async function kafkaJsSchemaRegistry(host: string): Promise<KafkaJsSchemaRegistry> {
  const specifier: string = '@kafkajs/confluent-schema-registry';
  const library = (await import(specifier)) as {
    SchemaRegistry: new (args: { host: string }) => KafkaJsSchemaRegistry;
  };
  return new library.SchemaRegistry({ host });
}

/** A @confluentinc/schemaregistry client of the registry at `url`. */
export async function confluentSchemaRegistryClient(url: string): Promise<ConfluentSchemaRegistryClient> {
  const specifier: string = '@confluentinc/schemaregistry';
  const library = (await import(specifier)) as {
    SchemaRegistryClient: new (config: { baseURLs: string[] }) => ConfluentSchemaRegistryClient;
  };
  return new library.SchemaRegistryClient({ baseURLs: [url] });
}
