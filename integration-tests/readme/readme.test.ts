/**
 * The README's tour and its CLI section, run as written: every `console` block marked
 * `<!-- readme-test: run -->` runs, command by command, in one bash shell against the test stack's
 * Kafka and registry (which stand in for the block marked `environment`), and each command's output
 * is compared with the one the README shows, in shape: JSON lines with the same keys and kinds of
 * value, other lines word for word, numbers aside (ids, offsets, ports and broker ids differ).
 */
import { Buffer } from 'node:buffer';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testServices } from '../support/kafka-harness.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const SECTIONS = ['## A five-minute tour of the CLI', '## The CLI'];
const MARKER = /^<!-- readme-test: (run|skip|environment)\b/;

/** One command of a README block and the output the README shows for it. */
interface ReadmeCommand {
  readonly block: number;
  /** Whether the command runs against the shared registry of the stack (the tour), not an embedded one. */
  readonly sharedRegistry: boolean;
  readonly text: string;
  readonly expected: readonly string[];
}

/** A fenced block of the tested sections and the marker above it, if any. */
interface ReadmeBlock {
  readonly section: string;
  readonly language: string;
  readonly marker: string | undefined;
  readonly lines: readonly string[];
}

function sectionBlocks(readme: string): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  let section = '';
  let marker: string | undefined;
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('## ')) section = SECTIONS.includes(line) ? line : '';
    if (section === '') continue;
    const marked = MARKER.exec(line.trim());
    if (marked !== null) {
      marker = marked[1];
      continue;
    }
    const fence = /^\s*```(\w*)$/.exec(line);
    if (fence === null) continue;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```$/.test(lines[i]!); i++) body.push(lines[i]!);
    blocks.push({ section, language: fence[1]!, marker, lines: body });
    marker = undefined;
  }
  return blocks;
}

// `$ ` starts a command; a heredoc's lines up to its delimiter and `\` continuations belong to it;
// the other lines are the command's output.
function commandsOf(block: ReadmeBlock, index: number): ReadmeCommand[] {
  const commands: { text: string[]; expected: string[] }[] = [];
  for (let i = 0; i < block.lines.length; i++) {
    const line = block.lines[i]!;
    if (!line.startsWith('$ ')) {
      if (line !== '') commands.at(-1)?.expected.push(line);
      continue;
    }
    const text = [line.slice(2)];
    const heredoc = /<<'?(\w+)'?/.exec(line)?.[1];
    while (text.at(-1)!.endsWith('\\') || (heredoc !== undefined && text.at(-1) !== heredoc)) {
      i++;
      if (i >= block.lines.length) break;
      text.push(block.lines[i]!);
    }
    commands.push({ text, expected: [] });
  }
  const sharedRegistry = block.section === SECTIONS[0];
  return commands.map(({ text, expected }) => ({
    block: index,
    sharedRegistry,
    text: text.join('\n'),
    expected,
  }));
}

/** What must match of an output line: JSON by keys and kinds, text by its words. */
function shape(line: string, sharedRegistry: boolean): unknown {
  if (line.startsWith('{')) {
    try {
      return jsonShape(JSON.parse(line) as unknown, '', sharedRegistry);
    } catch {
      // not JSON after all: compared as text
    }
  }
  return textShape(line);
}

function textShape(text: string): string {
  return text.replace(/[0-9]+/g, '#');
}

// Ids differ (in numbers, and in header bytes and keys that hold them), and in the tour so does the
// subject printed for an id: the stack's registry is shared with other suites, which register the same
// schemas under subjects of their own, and an id names any of them. Everything else must match.
function jsonShape(value: unknown, key: string, sharedRegistry: boolean): unknown {
  if (key === 'header') return headerShape(value);
  if (Array.isArray(value)) return value.map((item) => jsonShape(item, '', sharedRegistry));
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'string') {
    if (key === 'subject' && sharedRegistry) return 'a subject';
    return textShape(value);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([name, field]) => [
        name,
        jsonShape(field, key === 'headers' ? 'header' : name, sharedRegistry),
      ]),
    );
  }
  return value;
}

// A header prints as UTF-8 text, or as {"base64": ...} when its bytes are not UTF-8, so the form a
// schema id header takes depends on the id (00 00 00 00 02 00 is text, 00 00 00 00 c8 00 is not):
// only the number of bytes must match.
function headerShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(headerShape);
  if (typeof value === 'string') return `header of ${Buffer.byteLength(value)} bytes`;
  const base64 = (value as { base64?: unknown } | null)?.base64;
  if (typeof base64 === 'string') return `header of ${Buffer.from(base64, 'base64').length} bytes`;
  return value;
}

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const blocks = sectionBlocks(readme);
const commands = blocks.flatMap((block, index) => (block.marker === 'run' ? commandsOf(block, index) : []));
const outputs: string[][] = [];
let work: string;

describe('readme > tour and CLI section', () => {
  it('marks every console and sh block of the two sections: run, skip (saying why) or environment', () => {
    const unmarked = blocks.filter(
      (block) => (block.language === 'console' || block.language === 'sh') && block.marker === undefined,
    );
    expect(unmarked.map((block) => block.lines[0])).toEqual([]);
    expect(blocks.filter((block) => block.marker === 'environment')).toHaveLength(1);
    expect(commands.length).toBeGreaterThan(30);
  });

  beforeAll(async () => {
    const { brokers, registryUrl } = testServices();
    work = await mkdtemp(join(tmpdir(), 'schemawire-readme-'));
    // One shell, so `export` and `unset` in one block reach the next; each command's output, stdout
    // and stderr as a terminal shows them, follows a line of its own.
    const script = [
      'set +e',
      `cd ${JSON.stringify(repoRoot)}`,
      `export KAFKA_BROKERS=${JSON.stringify(brokers.join(','))} SCHEMA_REGISTRY_URL=${JSON.stringify(registryUrl)}`,
      'unset SCHEMAWIRE_REGISTRY_DIR SCHEMAWIRE_KAFKA_CONFIG',
      ...commands.flatMap(({ text }, i) => [`echo '@@readme-test ${i}'`, '{', text, '} 2>&1']),
    ].join('\n');
    const file = join(work, 'readme.sh');
    await writeFile(file, `${script}\n`);
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}` };
    const stdout = await new Promise<string>((done, fail) => {
      execFile('bash', [file], { env, maxBuffer: 16 * 1024 * 1024 }, (error, out) => {
        if (error !== null && typeof error.code !== 'number') fail(error);
        else done(out);
      });
    });
    for (const part of stdout
      .split(/^@@readme-test (\d+)\n/m)
      .slice(1)
      .entries()) {
      const [i, text] = part;
      if (i % 2 === 1) outputs.push(text.split('\n').filter((line) => line !== ''));
    }
  }, 600_000);

  afterAll(() => rm(work, { recursive: true, force: true }));

  it.each(commands.map((command, i) => [command.text.split('\n')[0]!, i] as const))('$ %s', (_text, i) => {
    const { expected, sharedRegistry } = commands[i]!;
    const shapeOf = (line: string) => shape(line, sharedRegistry);
    expect(outputs[i]!.map(shapeOf)).toEqual(expected.map(shapeOf));
  });
});
