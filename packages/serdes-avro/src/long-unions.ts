import avsc from 'avsc';
import { ExactLongType } from './exact-long-type.js';

/** The part of avsc's unwrapped union that picks a branch by the kind of value (`typeof`). */
interface BranchBuckets {
  readonly _bucketIndices: Record<string, number | undefined>;
}

/**
 * Lets the unions of `type` (at any depth) with a plain `long` branch take a bigint, and decimal text
 * where no string or enum branch does: avsc picks an unwrapped union's branch by `typeof`, which
 * knows only numbers for longs. Runs once per compiled schema.
 */
export function unionsTakeLongForms(type: avsc.Type, seen = new Set<avsc.Type>()): void {
  if (seen.has(type)) return;
  seen.add(type);
  if (avsc.Type.isType(type, 'union')) {
    const branches = (type as unknown as { readonly types: readonly avsc.Type[] }).types;
    if (avsc.Type.isType(type, 'union:unwrapped')) {
      const index = branches.findIndex((branch) => branch instanceof ExactLongType);
      // avsc freezes the union, not the object its buckets are in.
      const buckets = (type as unknown as BranchBuckets)._bucketIndices;
      if (index >= 0) {
        buckets.bigint ??= index;
        buckets.string ??= index;
      }
    }
    for (const branch of branches) unionsTakeLongForms(branch, seen);
  } else if (avsc.Type.isType(type, 'record', 'error')) {
    for (const field of (type as avsc.types.RecordType).fields) unionsTakeLongForms(field.type, seen);
  } else if (avsc.Type.isType(type, 'array')) {
    unionsTakeLongForms((type as avsc.types.ArrayType).itemsType, seen);
  } else if (avsc.Type.isType(type, 'map')) {
    unionsTakeLongForms((type as avsc.types.MapType).valuesType, seen);
  }
}
