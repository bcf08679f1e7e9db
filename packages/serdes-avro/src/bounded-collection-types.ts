import avsc from 'avsc';
import type { Tap } from './avsc-tap.js';
import { readString } from './short-string-type.js';

/**
 * How many items a collection may hold whatever the bytes left. Only items that take no bytes (null, a
 * record of nulls) can outnumber the bytes, so this caps arrays of those and nothing else.
 */
const MAX_ITEMS_BEYOND_BYTES = 65_536;

/** A type, or a resolver reading one type as another: what a collection reads its items with. */
interface ItemReader {
  _read(tap: Tap): unknown;
  _skip(tap: Tap): void;
}

/**
 * avsc's array with its read and skip loops copied and the item count checked. avsc trusts the count
 * in a block: corrupt or hostile bytes can make it loop 2^60 times over a map, or allocate an array of
 * 2^31 items, and stall or crash the consumer (the Java library fixed the same flaw as
 * CVE-2023-39410). The methods run with `this` either the type or a resolver avsc made from it (which
 * copies `_read`), so they only use `itemsType`, which both have.
 */
export class BoundedArrayType extends avsc.types.ArrayType {
  _read(tap: Tap): unknown[] {
    const items = this.itemsType as unknown as ItemReader;
    const budget = itemBudget(tap);
    let value: unknown[] | undefined;
    let index = 0;
    for (let count = readBlockCount(tap); count !== 0; count = readBlockCount(tap)) {
      checkItemCount(index + count, budget);
      value ??= new Array<unknown>(count);
      for (let i = 0; i < count; i++) value[index++] = items._read(tap);
    }
    return value ?? [];
  }

  _skip(tap: Tap): void {
    const items = this.itemsType as unknown as ItemReader;
    skipBlocks(tap, () => items._skip(tap));
  }
}

/** avsc's map with the same checks as {@link BoundedArrayType}. */
export class BoundedMapType extends avsc.types.MapType {
  _read(tap: Tap): Record<string, unknown> {
    const values = this.valuesType as ItemReader;
    const budget = itemBudget(tap);
    const value: Record<string, unknown> = {};
    let total = 0;
    for (let count = readBlockCount(tap); count !== 0; count = readBlockCount(tap)) {
      total += count;
      checkItemCount(total, budget);
      for (let i = 0; i < count; i++) {
        // Undefined past the end of the bytes, where the read fails as truncated whatever the key.
        const key = readString(tap) ?? '';
        // Assigning "__proto__" would replace the map's prototype instead of adding an entry.
        if (key === '__proto__') {
          Object.defineProperty(value, key, {
            value: values._read(tap),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          value[key] = values._read(tap);
        }
      }
    }
    return value;
  }

  _skip(tap: Tap): void {
    const values = this.valuesType as ItemReader;
    skipBlocks(tap, () => {
      tap.skipString();
      values._skip(tap);
    });
  }
}

// Skips the blocks of an array or map: a sized block (negative count) at once, else item by item
// within the same budget as reading.
function skipBlocks(tap: Tap, skipItem: () => void): void {
  const budget = itemBudget(tap);
  let total = 0;
  for (let count = tap.readLong(); count !== 0; count = tap.readLong()) {
    if (count < 0) {
      skipBlockBytes(tap);
      continue;
    }
    total += count;
    checkItemCount(total, budget);
    for (let i = 0; i < count; i++) skipItem();
  }
}

function itemBudget(tap: Tap): number {
  return Math.max(tap.buf.length - tap.pos, MAX_ITEMS_BEYOND_BYTES);
}

/** The item count of the next block; a negative count is followed by the block's size in bytes. */
function readBlockCount(tap: Tap): number {
  const count = tap.readLong();
  if (count >= 0) return count;
  tap.skipLong();
  return -count;
}

/** Skips a block by its size in bytes; a negative size would move back and loop forever. */
function skipBlockBytes(tap: Tap): void {
  const size = tap.readLong();
  if (size < 0) throw new Error(`invalid block size: ${size}`);
  tap.pos += size;
}

function checkItemCount(count: number, budget: number): void {
  if (count > budget) throw new Error(`invalid block count: ${count} items cannot fit in the bytes left`);
}
