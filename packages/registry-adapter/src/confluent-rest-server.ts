import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  RegisteredSchema,
  Schema,
  SchemaReference,
  SchemaRegistryClient,
  SchemaType,
} from '@schemawire/core-client';
import { isCompatibilityLevel, isSchemaWireError, registryAnswerFor } from '@schemawire/core-client';
import { EmbeddedRegistry } from './embedded-registry.js';
import { messageOf } from './error-text.js';

/** Options of {@link startConfluentRestServer}. */
export interface ConfluentRestServerOptions {
  /** The port to listen on; 0 (the default) picks a free one. */
  readonly port?: number;
  /** The address to listen on; default 127.0.0.1. */
  readonly host?: string;
}

/** A running REST facade. */
export interface ConfluentRestServer {
  /** Where it listens, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const ALL_SCHEMA_TYPES: readonly SchemaType[] = ['AVRO', 'PROTOBUF', 'JSON'];
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** An answer the route handlers build: a status and a JSON body, or raw text. */
interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly raw?: boolean;
}

/** A request the facade refuses before it reaches the registry, with the Confluent code for it. */
class BadRequest extends Error {
  readonly status: number;
  readonly errorCode: number;

  constructor(status: number, errorCode: number, message: string) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }
}

/**
 * Serves `registry` over the Confluent Schema Registry REST API with `node:http`, so the peer libraries
 * and `ConfluentRestClient` can be run against a real HTTP registry offline. Errors answer
 * `{error_code, message}` with the registry's Confluent codes.
 */
export function startConfluentRestServer(
  registry: SchemaRegistryClient,
  options: ConfluentRestServerOptions = {},
): Promise<ConfluentRestServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => {
    void handle(registry, request, response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
        close() {
          closing ??= new Promise<void>((done, fail) => {
            server.close((error) => (error === undefined ? done() : fail(error)));
            // Keep-alive connections of clients would otherwise hold close() open.
            server.closeAllConnections();
          });
          return closing;
        },
      });
    });
  });
}

async function handle(
  registry: SchemaRegistryClient,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  let answer: Answer;
  try {
    const body = await readBody(request);
    answer = await route(registry, request.method ?? 'GET', new URL(request.url ?? '/', 'http://x'), body);
  } catch (error) {
    answer = errorAnswer(error);
  }
  const text = answer.raw === true ? String(answer.body) : JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

async function route(
  registry: SchemaRegistryClient,
  method: string,
  url: URL,
  body: string,
): Promise<Answer> {
  // Split before decoding, so a subject holding an encoded "/" stays one segment.
  const path = url.pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment));
  const flag = (name: string): boolean => url.searchParams.get(name) === 'true';
  const [head, a, b, c, d, e] = path;
  const n = path.length;

  if (n === 0 && method === 'GET') return ok({});

  if (head === 'schemas') {
    if (a === 'types' && n === 2 && method === 'GET') {
      return ok(registry instanceof EmbeddedRegistry ? registry.schemaTypes() : ALL_SCHEMA_TYPES);
    }
    if (a === 'ids' && b !== undefined && method === 'GET') {
      const id = parseId(b);
      if (n === 3) return ok(schemaAnswer(await registry.getSchema({ kind: 'id', id })));
      if (n === 4 && c === 'schema') {
        return { status: 200, body: (await registry.getSchema({ kind: 'id', id })).schema, raw: true };
      }
      if (n === 4 && c === 'versions') return ok(await registry.getSubjectVersionsOfId(id));
      if (n === 4 && c === 'subjects') {
        const versions = await registry.getSubjectVersionsOfId(id);
        return ok([...new Set(versions.map((version) => version.subject))]);
      }
    }
    if (a === 'guids' && b !== undefined && n === 3 && method === 'GET') {
      // Confluent's answer has no numeric id; adding it lets a client fill one in.
      const schema = await registry.getSchema({ kind: 'guid', guid: b });
      return ok({ ...schemaAnswer(schema), id: schema.id });
    }
  }

  if (head === 'subjects') {
    if (n === 1 && method === 'GET') return ok(await registry.listSubjects({ deleted: flag('deleted') }));
    const subject = a;
    if (subject !== undefined && n === 2) {
      if (method === 'POST') {
        const found = await registry.lookup(subject, parseSchema(body), {
          normalize: flag('normalize'),
          deleted: flag('deleted'),
        });
        return ok(versionAnswer(found));
      }
      if (method === 'DELETE') {
        return ok(await registry.deleteSubject(subject, { permanent: flag('permanent') }));
      }
    }
    if (subject !== undefined && b === 'versions') {
      if (n === 3 && method === 'GET') return ok(await registry.listVersions(subject));
      if (n === 3 && method === 'POST') {
        const registered = await registry.register(subject, parseSchema(body), {
          normalize: flag('normalize'),
        });
        return ok({
          id: registered.id,
          ...(registered.guid === undefined ? {} : { guid: registered.guid }),
          version: registered.version,
          subject: registered.subject ?? subject,
        });
      }
      if (c !== undefined) {
        const version = parseVersion(c);
        if (n === 4 && method === 'GET')
          return ok(versionAnswer(await registry.getVersion(subject, version)));
        if (n === 5 && d === 'schema' && method === 'GET') {
          return { status: 200, body: (await registry.getVersion(subject, version)).schema, raw: true };
        }
        if (n === 4 && method === 'DELETE') {
          const number =
            version === 'latest' ? (await registry.getVersion(subject, 'latest')).version! : version;
          return ok(await registry.deleteVersion(subject, number, { permanent: flag('permanent') }));
        }
      }
    }
  }

  if (head === 'compatibility' && a === 'subjects' && b !== undefined && c === 'versions') {
    if (n === 5 && e === undefined && d !== undefined && method === 'POST') {
      const result = await registry.testCompatibility(b, parseSchema(body), parseVersion(d));
      return ok(
        flag('verbose')
          ? { is_compatible: result.compatible, messages: result.messages }
          : { is_compatible: result.compatible },
      );
    }
  }

  if (head === 'config' && n <= 2) {
    const subject = a;
    if (method === 'GET') return ok({ compatibilityLevel: await registry.getCompatibility(subject) });
    if (method === 'PUT') {
      const { compatibility } = parseObject(body);
      if (!isCompatibilityLevel(compatibility)) {
        throw new BadRequest(
          422,
          42203,
          `cannot set compatibility: level ${JSON.stringify(compatibility) ?? 'undefined'} does not exist`,
        );
      }
      await registry.setCompatibility(compatibility, subject);
      return ok({ compatibility });
    }
  }

  throw new BadRequest(404, 404, 'HTTP 404 Not Found');
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

function schemaAnswer(schema: RegisteredSchema): Record<string, unknown> {
  return {
    schema: schema.schema,
    schemaType: schema.schemaType,
    references: schema.references,
    ...(schema.guid === undefined ? {} : { guid: schema.guid }),
  };
}

function versionAnswer(schema: RegisteredSchema): Record<string, unknown> {
  return {
    subject: schema.subject,
    id: schema.id,
    version: schema.version,
    ...schemaAnswer(schema),
  };
}

function errorAnswer(error: unknown): Answer {
  if (error instanceof BadRequest) {
    return { status: error.status, body: { error_code: error.errorCode, message: error.message } };
  }
  if (isSchemaWireError(error)) {
    const { errorCode, httpStatus } = registryAnswerFor(error);
    return { status: httpStatus, body: { error_code: errorCode, message: error.message } };
  }
  return {
    status: 500,
    body: { error_code: 50001, message: `cannot complete request: ${messageOf(error)}` },
  };
}

function parseId(text: string): number {
  const id = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(id)) {
    throw new BadRequest(404, 40403, `cannot find schema: id ${JSON.stringify(text)} is not a number`);
  }
  return id;
}

function parseVersion(text: string): number | 'latest' {
  if (text === 'latest' || text === '-1') return 'latest';
  const version = /^\d{1,9}$/.test(text) ? Number(text) : 0;
  if (version < 1) {
    throw new BadRequest(
      422,
      42202,
      `cannot read version: ${JSON.stringify(text)} is not a positive integer or "latest"`,
    );
  }
  return version;
}

function parseObject(body: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new BadRequest(400, 400, 'cannot read request body: it is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequest(422, 42201, 'cannot read request body: it is not a JSON object');
  }
  return value as Record<string, unknown>;
}

function parseSchema(body: string): Schema {
  const { schema, schemaType = 'AVRO', references = [] } = parseObject(body);
  if (typeof schema !== 'string') {
    throw new BadRequest(422, 42201, 'cannot read schema: the request has no "schema" string');
  }
  if (typeof schemaType !== 'string' || !(ALL_SCHEMA_TYPES as readonly unknown[]).includes(schemaType)) {
    throw new BadRequest(
      422,
      42201,
      `cannot read schema: schema type ${JSON.stringify(schemaType)} is unknown`,
    );
  }
  if (!Array.isArray(references) || !references.every(isReference)) {
    throw new BadRequest(
      422,
      42201,
      'cannot read schema: references must be a list of {name, subject, version}',
    );
  }
  return { schema, schemaType: schemaType as SchemaType, references };
}

function isReference(value: unknown): value is SchemaReference {
  if (typeof value !== 'object' || value === null) return false;
  const { name, subject, version } = value as Record<string, unknown>;
  return typeof name === 'string' && typeof subject === 'string' && Number.isSafeInteger(version);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(413, 413, 'cannot read request body: it is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
