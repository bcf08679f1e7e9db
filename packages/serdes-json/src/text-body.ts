import { Buffer } from 'node:buffer';

/**
 * UTF-8 bodies with room for a frame before them, written the way `Buffer.from(text)` writes: into a
 * shared slab, sized by the most bytes the text can take, then cut to what it took. Measuring the
 * text first (`Buffer.byteLength`) and allocating its own buffer takes about twice as long. As with
 * Node's own pool, a body is a view of a slab that it keeps alive; a slab is never written twice.
 */

const SLAB_SIZE = 8 * 1024;
/** Larger bodies get a buffer of their own, so one message never holds more than twice its size. */
const MAX_SLAB_BODY = SLAB_SIZE >>> 1;

/** Node's Buffer, with the method behind `write(text, offset, length, 'utf8')`. */
interface Utf8Writable {
  utf8Write(text: string, offset: number, length: number): number;
}

let slab = Buffer.allocUnsafe(SLAB_SIZE);
let used = 0;

/** `text` as UTF-8 after `headroom` bytes left for the caller to fill. */
export function utf8Body(text: string, headroom: number): Buffer {
  // A UTF-16 code unit takes at most three bytes of UTF-8.
  const most = headroom + text.length * 3;
  if (most > MAX_SLAB_BODY) {
    const body = Buffer.allocUnsafe(headroom + Buffer.byteLength(text));
    body.write(text, headroom);
    return body;
  }
  if (most > SLAB_SIZE - used) {
    slab = Buffer.allocUnsafe(SLAB_SIZE);
    used = 0;
  }
  const start = used;
  const written = (slab as unknown as Utf8Writable).utf8Write(text, start + headroom, most - headroom);
  const end = start + headroom + written;
  // The next body starts on an 8-byte boundary, as in Node's pool.
  used = (end + 7) & ~7;
  return slab.subarray(start, end);
}
