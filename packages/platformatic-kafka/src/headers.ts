import { Buffer } from 'node:buffer';
import type { RawHeaders } from '@schemawire/kafka-common';

/**
 * A consumed message's header entries as the shared logic (and kafkajs) reads them: names as strings,
 * a name that comes more than once as an array in order. Undefined when the message has none, so a
 * message without headers costs nothing. A header may be named __proto__: the record has no prototype.
 */
export function fromHeaderEntries(
  entries: readonly (readonly [Buffer, Buffer])[] | undefined,
): RawHeaders | undefined {
  if (entries === undefined || entries.length === 0) return undefined;
  const headers: RawHeaders = Object.create(null);
  for (const [name, value] of entries) {
    const key = name.toString('utf8');
    const previous = headers[key];
    if (previous === undefined) headers[key] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else headers[key] = [previous, value];
  }
  return headers;
}

/**
 * Headers as @platformatic/kafka writes them with its default serializers: a map of bytes to bytes.
 * Names are Buffers, so a name with several values stays several headers, as it came.
 */
export function toHeaderMap(headers: RawHeaders | undefined): Map<Buffer, Buffer> | undefined {
  if (headers === undefined) return undefined;
  const map = new Map<Buffer, Buffer>();
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      map.set(Buffer.from(name, 'utf8'), typeof one === 'string' ? Buffer.from(one, 'utf8') : one);
    }
  }
  return map;
}
