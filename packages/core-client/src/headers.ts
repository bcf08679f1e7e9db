import { Buffer } from 'node:buffer';
/** Kafka message headers as clients hand them over (kafkajs `IHeaders` fits). */
export type MessageHeaders = Readonly<
  Record<string, Uint8Array | string | readonly (Uint8Array | string)[] | undefined>
>;

/** The last value of header `name` as bytes (the last one wins, as in Kafka's `lastHeader`). */
export function lastHeader(headers: MessageHeaders | undefined, name: string): Uint8Array | undefined {
  if (headers === undefined) return undefined;
  const raw = headers[name];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' || raw instanceof Uint8Array ? raw : raw[raw.length - 1];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}
