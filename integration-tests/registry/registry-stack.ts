import { randomUUID } from 'node:crypto';
import type { Schema, SchemaWireError } from '@schemawire/core-client';

/** The two APIs of the Apicurio Registry the integration global setup started. */
export interface RegistryUrls {
  /** Apicurio's own API, `/apis/registry/v3`. */
  readonly apicurioUrl: string;
  /** Apicurio's Confluent-compatible API, `/apis/ccompat/v7`. */
  readonly confluentUrl: string;
}

/**
 * The registry URLs from the environment the global setup fills. A suite run without them fails here
 * rather than skip: a registry suite must not pass without a registry.
 */
export function registryUrls(env: NodeJS.ProcessEnv = process.env): RegistryUrls {
  const read = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') {
      throw new Error(
        `cannot find the test registry: ${name} is not set; run the suite with the integration global setup`,
      );
    }
    return value;
  };
  return {
    apicurioUrl: read('SCHEMAWIRE_TEST_APICURIO_URL'),
    confluentUrl: read('SCHEMAWIRE_TEST_REGISTRY_URL'),
  };
}

/** A subject name no other test or run uses. */
export function uniqueSubject(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<SchemaWireError> {
  try {
    await promise;
  } catch (error) {
    return error as SchemaWireError;
  }
  throw new Error('expected a rejection');
}

/** An Avro record schema named `name` with `fields`. */
export function avroRecord(name: string, fields: readonly Record<string, unknown>[]): Schema {
  return { schemaType: 'AVRO', schema: JSON.stringify({ type: 'record', name, fields }) };
}

/**
 * Calls Apicurio's native API directly, for what no schemawire client does: its admin settings and
 * reading its rules, to check what the clients stored.
 */
export async function apicurioCall(
  apicurioUrl: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${apicurioUrl}${path}`, {
    method,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/**
 * Sets one of Apicurio's dynamic config properties (the delete switches). Set it back by value: a
 * reset (DELETE) does not take effect in Apicurio 3.3.3.
 */
export async function setApicurioProperty(apicurioUrl: string, name: string, value: string): Promise<void> {
  const path = `/admin/config/properties/${encodeURIComponent(name)}`;
  const { status } = await apicurioCall(apicurioUrl, 'PUT', path, { value });
  if (status !== 204) throw new Error(`cannot set ${name}: Apicurio answered ${status}`);
}

/**
 * A versioned user schema with a name of its own: Apicurio shares content (and so ids) between
 * subjects, so each test's schemas must differ from every other test's. v2 adds a defaulted field (compatible
 * both ways), `breaking` a field without a default.
 */
export function userSchemas() {
  const name = `User_${randomUUID().replaceAll('-', '')}`;
  return {
    name,
    v1: avroRecord(name, [{ name: 'id', type: 'int' }]),
    // Adds a field with a default: compatible both ways, whatever level applies.
    v2: avroRecord(name, [
      { name: 'id', type: 'int' },
      { name: 'name', type: 'string', default: '' },
    ]),
    // Adds a field without a default: new readers cannot read old data.
    breaking: avroRecord(name, [
      { name: 'id', type: 'int' },
      { name: 'email', type: 'string' },
    ]),
  };
}
