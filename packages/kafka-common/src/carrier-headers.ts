import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import type { RawHeaders } from './consumed.js';

/**
 * A message's headers with the headers that carry its schema ids added. A name set by both is a
 * SCHEMAWIRE_CONFIG error rather than a silent overwrite: either way one side would lose its header,
 * and a wrong schema id header makes the message unreadable. Neither input is changed; when one is
 * absent, the other is returned as it is.
 */
export function mergeCarrierHeaders(
  headers: RawHeaders | undefined,
  carrier: Readonly<Record<string, Buffer>> | undefined,
): RawHeaders | undefined {
  if (carrier === undefined) return headers;
  if (headers === undefined) return carrier;
  for (const name of Object.keys(carrier)) {
    if (Object.hasOwn(headers, name) && headers[name] !== undefined) {
      throw new SchemaWireError(
        ErrorCode.Config,
        `cannot add schema id header: the message sets header ${JSON.stringify(name)} itself`,
      );
    }
  }
  // Spread defines every name as a header, `__proto__` too, where assigning would set a prototype.
  return { ...headers, ...carrier };
}
