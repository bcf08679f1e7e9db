import type { Longs } from '@schemawire/core-client';
import avsc from 'avsc';
import { BoundedArrayType, BoundedMapType } from './bounded-collection-types.js';
import { ClosedRecordType } from './closed-record-type.js';
import { DepthLimitedRecordType } from './depth-limited-record-type.js';
import { ExactLongType, exactLongType } from './exact-long-type.js';
import { ShortStringType } from './short-string-type.js';
import { annotateTime } from './time-annotations.js';

type ForSchemaOptions = NonNullable<Parameters<typeof avsc.Type.forSchema>[1]>;
type TypeHook = NonNullable<ForSchemaOptions['typeHook']>;

/**
 * avsc's `typeHook` that swaps in the types defined here for avsc's own: exact longs, read as
 * `longs` says (remembering the time logical types they stand for, see time-annotations.ts), strings that read short ASCII text without a call into C++, arrays and maps whose
 * reads are bounded by the bytes they come from, and records that nest at most a fixed depth and,
 * unless `unknownFields` is `ignore`, refuse to write a field they do not have.
 */
export function avroTypeHook(
  logicalTypes: Readonly<Record<string, unknown>>,
  longs: Longs = 'number-or-bigint',
  unknownFields: 'refuse' | 'ignore' = 'refuse',
): TypeHook {
  // avsc shows a schema with a known logical type to the hook twice: first for the logical type,
  // which avsc builds, then, while building it, for the underlying type, which the hook builds.
  const deferred = new WeakSet<object>();
  return (schema, options) => {
    if (schema === 'long') return exactLongType(longs);
    if (schema === 'string') return new ShortStringType();
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
    const { type, logicalType } = schema as { type?: unknown; logicalType?: unknown };
    if (typeof logicalType === 'string' && logicalTypes[logicalType] !== undefined && !deferred.has(schema)) {
      deferred.add(schema);
      return undefined;
    }
    switch (type) {
      case 'long':
        // The long under a logical type stays a number where it can: the logical type converts it.
        if (deferred.has(schema)) return new ExactLongType();
        return annotateTime(exactLongType(longs), logicalType);
      case 'int':
        return typeof logicalType === 'string'
          ? annotateTime(new avsc.types.IntType(), logicalType)
          : undefined;
      case 'string':
        return new ShortStringType();
      case 'array':
        return new BoundedArrayType(schema, options);
      case 'map':
        return new BoundedMapType(schema, options);
      case 'record':
      case 'error':
        return unknownFields === 'ignore'
          ? new DepthLimitedRecordType(schema, options)
          : new ClosedRecordType(schema, options);
      default:
        return undefined;
    }
  };
}
