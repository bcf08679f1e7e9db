import type { Writable } from 'node:stream';

// Often enough to look alive, rarely enough to cost nothing next to the messages.
const REDRAW_MS = 200;

/**
 * The count and rate of messages on one redrawn stderr line while a long run goes on, shown only when
 * stderr is a terminal: piped or redirected, the output stays free of it. Other lines go through
 * {@link line}, above the progress line.
 */
export class Progress {
  readonly #stream: Writable;
  readonly #terminal: boolean;
  readonly #started = Date.now();
  #count = 0;
  #drawnAt = 0;
  #shown = false;

  readonly #quiet: boolean;

  /** With `quiet`, {@link line} writes nothing and no progress shows. */
  constructor(stream: Writable, { quiet = false }: { readonly quiet?: boolean } = {}) {
    this.#stream = stream;
    this.#quiet = quiet;
    this.#terminal = !quiet && (stream as { isTTY?: unknown }).isTTY === true;
  }

  /** On a terminal, shows `text` in place of the progress line until the count first changes. */
  status(text: string): void {
    if (!this.#terminal) return;
    this.#stream.write(`\r\x1b[K${text}`);
    this.#shown = true;
  }

  /** Sets the count; redraws the progress line when it is due. */
  update(count: number): void {
    this.#count = count;
    if (!this.#terminal) return;
    const now = Date.now();
    if (now - this.#drawnAt < REDRAW_MS) return;
    this.#drawnAt = now;
    this.#draw(now);
  }

  /** Writes a line, keeping the progress line below it. */
  line(text: string): void {
    if (this.#quiet) return;
    if (this.#shown) this.#stream.write('\r\x1b[K');
    this.#stream.write(`${text}\n`);
    if (this.#shown) this.#draw(Date.now());
  }

  /** Clears the progress line for good. */
  end(): void {
    if (this.#shown) this.#stream.write('\r\x1b[K');
    this.#shown = false;
  }

  #draw(now: number): void {
    const seconds = Math.max((now - this.#started) / 1000, 0.001);
    const rate = Math.round(this.#count / seconds);
    const count = this.#count;
    this.#stream.write(`\r\x1b[K${count} message${count === 1 ? '' : 's'}, ${rate}/s`);
    this.#shown = true;
  }
}
