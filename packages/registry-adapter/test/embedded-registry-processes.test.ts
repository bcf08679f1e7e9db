import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import type { Acknowledged } from './support/registering-child.js';
import { LEGACY_STATE, REGISTER_LOOP, registerLoopEnv } from './support/registering-child.js';
import { textFormat } from './support/text-format.js';

const WRITERS = 8;
const REGISTRATIONS = 250;
const KILLS = 8;
// The old lock file's limit was 30 s: a run still going after this has stalled, not just slowed down.
const DEADLINE_MS = 45_000;
// A registration that waited this long waited on a killed writer's lock, which SQLite releases at once
// (the old lock file held it 30 s); a loaded machine slows registrations, but not to this.
const STALL_MS = 10_000;

/** A writer that runs as a child process, restarted after a kill where its acknowledgements stopped. */
class Writer {
  readonly acknowledged: Acknowledged[] = [];
  next = 0;
  #child: ChildProcess | undefined;
  #exited: Promise<unknown> = Promise.resolve();

  constructor(
    readonly tag: string,
    readonly dir: string,
  ) {}

  get done(): boolean {
    return this.next >= REGISTRATIONS;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  start(): void {
    const child = spawn(process.execPath, [REGISTER_LOOP], {
      env: registerLoopEnv(this.dir, this.tag, this.next, REGISTRATIONS),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.#child = child;
    let pending = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      // A line cut by a kill has no newline yet: it was never acknowledged.
      pending = lines.pop()!;
      for (const line of lines) {
        const acknowledged = JSON.parse(line) as Acknowledged;
        this.acknowledged.push(acknowledged);
        this.next = acknowledged.i + 1;
      }
    });
    this.#exited = once(child, 'close').then(() => {
      this.#child = undefined;
    });
  }

  /** Waits until the child exits; with `signal` it is sent first. */
  async stop(signal?: NodeJS.Signals): Promise<void> {
    if (signal !== undefined) this.#child?.kill(signal);
    await this.#exited;
  }
}

// A small deterministic generator, so a failing run can be told apart from a flaky one by its seed.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('registry > embedded > processes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'schemawire-processes-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // What the writers start on: a lock file of an earlier release past its stale limit, which all of
  // them find at once; or the folder a writer killed in the middle of its run left.
  const starts = {
    'a stale lock file': async (writers: readonly Writer[]) => {
      const lock = join(dir, 'registry.json.lock');
      await writeFile(lock, '12345\n');
      const old = new Date(Date.now() - 60_000);
      await utimes(lock, old, old);
      for (const writer of writers) writer.start();
    },
    'a writer killed mid-run': async (writers: readonly Writer[]) => {
      const [first] = writers as [Writer];
      first.start();
      while (first.next < 20 && first.running) await sleep(10);
      await first.stop('SIGKILL');
      for (const writer of writers) writer.start();
    },
  };

  it.each(Object.keys(starts) as (keyof typeof starts)[])(
    'keeps every acknowledged registration, with unique ids, starting on %s, through kill -9s',
    async (start) => {
      // Both start from the state file of an earlier release, with two registrations.
      await writeFile(join(dir, 'registry.json'), JSON.stringify(LEGACY_STATE));
      const writers = Array.from({ length: WRITERS }, (_, n) => new Writer(`w${n}`, dir));
      await starts[start](writers);

      const next = random(12);
      const deadline = Date.now() + DEADLINE_MS;
      let kills = 0;
      while (writers.some((writer) => writer.running) && Date.now() < deadline) {
        await sleep(100 + next() * 200);
        for (const writer of writers) {
          if (!writer.running && !writer.done) writer.start();
        }
        const running = writers.filter((writer) => writer.running && !writer.done);
        if (kills < KILLS && running.length > 0) {
          const victim = running[Math.floor(next() * running.length)]!;
          await victim.stop('SIGKILL');
          kills++;
          victim.start();
        }
      }
      const unfinished = writers.filter((writer) => !writer.done).map((writer) => writer.tag);
      await Promise.all(writers.map((writer) => writer.stop('SIGKILL')));

      const acknowledged = writers.flatMap((writer) => writer.acknowledged);
      const idsBySchema = new Map<string, Set<number>>();
      const schemasById = new Map<number, Set<string>>();
      const idsByVersion = new Map<string, Set<number>>();
      const add = <K, V>(map: Map<K, Set<V>>, key: K, value: V) =>
        map.set(key, (map.get(key) ?? new Set<V>()).add(value));
      for (const { subject, schema, id, version } of acknowledged) {
        add(idsBySchema, schema, id);
        add(schemasById, id, schema);
        add(idsByVersion, `${subject}@${version}`, id);
      }
      const registry = new EmbeddedRegistry({ formats: [textFormat('JSON')], dir });
      const lost: string[] = [];
      for (const { subject, schema, id, version } of acknowledged) {
        const found = await registry.lookup(subject, { schemaType: 'JSON', schema }).catch(() => undefined);
        if (found?.id !== id || found.version !== version)
          lost.push(`${subject} ${schema} as ${id}@${version}`);
      }
      const legacy = await Promise.all(
        [1, 2].map((id) => registry.getSchema({ kind: 'id', id }).then((found) => found.subject)),
      );
      const leftovers = (await readdir(dir)).filter((name) => /\.(tmp|lock)$/.test(name));
      const report = {
        unfinished,
        schemasWithTwoIds: [...idsBySchema.values()].filter((ids) => ids.size > 1).length,
        idsWithTwoSchemas: [...schemasById.values()].filter((schemas) => schemas.size > 1).length,
        versionsWithTwoIds: [...idsByVersion.values()].filter((ids) => ids.size > 1).length,
        lost: lost.length,
        stalls: acknowledged.filter((registration) => registration.ms > STALL_MS).map((r) => r.ms),
        leftovers,
        legacy,
      };
      expect({ kills, acknowledged: acknowledged.length }).toEqual({
        kills: KILLS,
        acknowledged: WRITERS * REGISTRATIONS,
      });
      expect(report).toEqual({
        unfinished: [],
        schemasWithTwoIds: 0,
        idsWithTwoSchemas: 0,
        versionsWithTwoIds: 0,
        lost: 0,
        stalls: [],
        leftovers: [],
        legacy: ['legacy-a', 'legacy-b'],
      });
    },
    90_000,
  );
});
