import type { Readable } from 'node:stream';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * The lines of `stream` as bytes, without their line ends (`\n` or `\r\n`); a last line without a line
 * end too. Lines are bytes, not text, so that one which is not UTF-8 can be refused rather than read
 * with replacement characters (see {@link utf8Line}).
 */
export function inputLines(stream: Readable): AsyncIterableIterator<Buffer> {
  return new LineIterator(stream[Symbol.asyncIterator]());
}

// An iterator, not an async generator: a chunk's lines are split at once and handed out from an
// array, which takes a third of the time a generator's yield per line does on 100k-line inputs.
class LineIterator implements AsyncIterableIterator<Buffer> {
  readonly #chunks: AsyncIterator<Buffer | string>;
  #lines: Buffer[] = [];
  #next = 0;
  // The start of a line that spans chunks, joined once its end arrives.
  #pending: Buffer[] = [];
  #ended = false;

  constructor(chunks: AsyncIterator<Buffer | string>) {
    this.#chunks = chunks;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<Buffer>> {
    while (this.#next === this.#lines.length) {
      if (this.#ended) return { done: true, value: undefined };
      const chunk = await this.#chunks.next();
      this.#lines = [];
      this.#next = 0;
      if (chunk.done === true) {
        this.#ended = true;
        if (this.#pending.length > 0) this.#lines.push(withoutCarriageReturn(Buffer.concat(this.#pending)));
      } else {
        this.#split(typeof chunk.value === 'string' ? Buffer.from(chunk.value) : chunk.value);
      }
    }
    return { done: false, value: this.#lines[this.#next++]! };
  }

  async return(): Promise<IteratorResult<Buffer>> {
    this.#ended = true;
    this.#lines = [];
    await this.#chunks.return?.();
    return { done: true, value: undefined };
  }

  #split(data: Buffer): void {
    let start = 0;
    for (let end = data.indexOf(NEWLINE); end !== -1; end = data.indexOf(NEWLINE, start)) {
      const piece = data.subarray(start, end);
      const line = this.#pending.length === 0 ? piece : Buffer.concat([...this.#pending, piece]);
      this.#lines.push(withoutCarriageReturn(line));
      this.#pending = [];
      start = end + 1;
    }
    if (start < data.length) this.#pending.push(data.subarray(start));
  }
}

function withoutCarriageReturn(line: Buffer): Buffer {
  return line.at(-1) === CARRIAGE_RETURN ? line.subarray(0, -1) : line;
}

// A byte order mark is kept: it is part of what was given.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a line that is UTF-8; an error naming the first byte that is not, and its offset in the
 * line, otherwise.
 */
export function utf8Line(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    const offset = invalidUtf8Offset(bytes);
    const byte = `0x${bytes[offset]!.toString(16).padStart(2, '0')}`;
    throw new Error(`it is not UTF-8 (byte ${byte} at byte offset ${offset} of the line)`);
  }
}

// The offset where the first ill-formed sequence starts (Unicode table 3-7: no overlong forms, no
// surrogates, nothing above U+10FFFF); only called once the decoder has refused the bytes.
function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const length =
      lead >= 0xc2 && lead <= 0xdf
        ? 2
        : lead >= 0xe0 && lead <= 0xef
          ? 3
          : lead >= 0xf0 && lead <= 0xf4
            ? 4
            : 0;
    if (length === 0) return i;
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const byte = bytes[i + k];
      if (byte === undefined || byte < (k === 1 ? low : 0x80) || byte > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  // Not reached for bytes the decoder refused; the first byte is the safest answer.
  return 0;
}
