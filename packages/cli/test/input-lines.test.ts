import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
// Internal to the CLI, so read from the built package, as the other tests read it.
import { inputLines, utf8Line } from '../dist/input-lines.js';

async function linesOf(...chunks: (string | number[])[]): Promise<string[]> {
  const stream = Readable.from(chunks.map((chunk) => Buffer.from(chunk as string)));
  const lines: string[] = [];
  for await (const line of inputLines(stream)) lines.push(line.toString('hex'));
  return lines;
}

const hex = (text: string) => Buffer.from(text).toString('hex');

describe('cli > input lines', () => {
  describe('cli > input lines > inputLines', () => {
    it('splits on \\n and \\r\\n, across chunks, and keeps a last line without a line end', async () => {
      expect(await linesOf('a\nb', 'c\r\n\nd')).toEqual([hex('a'), hex('bc'), '', hex('d')]);
    });

    it('keeps the bytes of a character split across chunks together', async () => {
      const euro = [...Buffer.from('€')];
      expect(await linesOf([0x22, euro[0]!], [euro[1]!, euro[2]!, 0x22, 0x0a])).toEqual([hex('"€"')]);
    });

    it('yields nothing for empty input and no empty line after a final line end', async () => {
      expect(await linesOf()).toEqual([]);
      expect(await linesOf('a\n')).toEqual([hex('a')]);
    });
  });

  describe('cli > input lines > utf8Line', () => {
    it('decodes UTF-8 as it is, a byte order mark included', () => {
      expect(utf8Line(Buffer.from('\uFEFF{"a":"é€𝄞"}'))).toBe('\uFEFF{"a":"é€𝄞"}');
    });

    it.each([
      ['a byte that never starts a character', [0x41, 0xff], 1, '0xff'],
      ['a lone continuation byte', [0x41, 0x42, 0x80], 2, '0x80'],
      ['an overlong encoding', [0xc0, 0x80], 0, '0xc0'],
      ['an encoded surrogate', [0x41, 0xed, 0xa0, 0x80], 1, '0xed'],
      ['a character cut at the end of the line', [0x41, 0xe2, 0x82], 1, '0xe2'],
      ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0, '0xf4'],
    ])('refuses %s, naming the byte and its offset', (_, bytes, offset, byte) => {
      expect(() => utf8Line(Buffer.from(bytes))).toThrow(
        `it is not UTF-8 (byte ${byte} at byte offset ${offset} of the line)`,
      );
    });
  });
});
