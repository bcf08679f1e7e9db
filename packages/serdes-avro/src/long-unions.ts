import avsc from 'avsc';
import { ExactLongType } from './exact-long-type.js';

/** The part of avsc's unwrapped union that picks a branch by the kind of value (`typeof`). */
interface BranchBuckets {
  readonly _bucketIndices: Record<string, number | undefined>;
  /** The branches of logical types, which avsc asks about every value. */
  readonly _dynamicBranches: readonly unknown[] | null;
}

/**
 * Lets the unions of `type` (at any depth) with a plain `long` branch and no logical one take a
 * bigint, and decimal text where no string, enum, bytes or fixed branch takes text: avsc picks an
 * unwrapped union's branch by `typeof`, which knows only numbers for longs. Runs once per compiled
 * schema.
 */
export function unionsTakeLongForms(type: avsc.Type, seen = new Set<avsc.Type>()): void {
  if (seen.has(type)) return;
  seen.add(type);
  if (avsc.Type.isType(type, 'union')) {
    const branches = (type as unknown as { readonly types: readonly avsc.Type[] }).types;
    if (avsc.Type.isType(type, 'union:unwrapped')) {
      const index = branches.findIndex((branch) => branch instanceof ExactLongType);
      const { _bucketIndices: buckets, _dynamicBranches: logical } = type as unknown as BranchBuckets;
      // A logical branch may take the same bigint or text (a decimal does), which avsc would refuse
      // as ambiguous; text is base64 to a bytes branch. Such unions take longs as numbers only.
      // avsc freezes the union, not the object its buckets are in.
      if (index >= 0 && logical === null) {
        buckets.bigint ??= index;
        if (buckets.buffer === undefined) buckets.string ??= index;
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
