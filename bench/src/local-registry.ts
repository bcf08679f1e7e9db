import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SchemaFormat } from '@schemawire/core-client';
import { EmbeddedRegistry, startConfluentRestServer } from '@schemawire/registry-adapter';

/** An embedded registry served over the Confluent REST API on localhost. */
export interface LocalRegistry {
  readonly url: string;
  readonly registry: EmbeddedRegistry;
  close(): Promise<void>;
}

/** Starts an in-memory registry that knows `formats`, served on a free localhost port. */
export async function startLocalRegistry(formats: readonly SchemaFormat[]): Promise<LocalRegistry> {
  const registry = new EmbeddedRegistry({ formats });
  const server = await startConfluentRestServer(registry);
  return { url: server.url, registry, close: () => server.close() };
}

/** A proxy in front of a registry that counts the requests it passes on, by method and path. */
export interface CountingProxy {
  readonly url: string;
  /** Requests seen so far, by `METHOD /path` (query left out). */
  readonly counts: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

/**
 * Starts an HTTP proxy to `target` that counts every request at the HTTP level, so a cold-start run
 * sees what a registry would see, whatever caching the client does.
 */
export function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const counts = new Map<string, number>();
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const path = (incoming.url ?? '/').split('?')[0]!;
    const key = `${incoming.method ?? 'GET'} ${decodeURIComponent(path)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => {
      outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(forwarded);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        counts,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
