import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
// Internal to the CLI, so read from the built package, as the other tests read it.
import { Progress } from '../dist/progress.js';

/** A stream that says it is a terminal, and what was written to it. */
function terminal(): { stream: PassThrough; written: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY: true });
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, written: () => chunks.join('') };
}

describe('cli > progress', () => {
  it('on a terminal, a status shows until the count replaces it', async () => {
    const { stream, written } = terminal();
    const progress = new Progress(stream);
    progress.status('connected; waiting for messages');
    progress.update(3);
    progress.end();
    await new Promise((resolve) => setImmediate(resolve));
    const clear = '\r\u001b[K';
    expect(written().split(clear)).toEqual([
      '',
      'connected; waiting for messages',
      expect.stringMatching(/^3 messages, [0-9]+\/s$/),
      '',
    ]);
  });

  it('quiet: writes no line, status or count, even on a terminal', async () => {
    const { stream, written } = terminal();
    const progress = new Progress(stream, { quiet: true });
    progress.status('connected');
    progress.line('sent 1 message');
    progress.update(1);
    progress.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).toBe('');
  });

  it('elsewhere than a terminal: lines only', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const progress = new Progress(stream);
    progress.status('connected');
    progress.update(1);
    progress.line('sent 1 message');
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks.join('')).toBe('sent 1 message\n');
  });
});
