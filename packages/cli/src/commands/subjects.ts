import type { CliIo } from '../cli-io.js';
import { writeLine } from '../cli-io.js';
import type { Command } from '../command.js';
import { globalHelp, parseCommandArgs, UsageError } from '../command.js';
import { jsonLine } from '../printable-json.js';
import { openRegistry } from '../registry-option.js';

const options = {
  deleted: { type: 'boolean' },
  prefix: { type: 'string' },
} as const;

/** `schemawire subjects`: lists the registry's subjects. */
export const subjectsCommand: Command = {
  name: 'subjects',
  summary: 'list the subjects of the registry',
  help: `Usage: schemawire subjects [--deleted] [--prefix P]

Prints {"subject"} for each subject that has a live version, sorted. With --deleted, soft-deleted
subjects too, as {"subject","deleted"}.

Options:
  --deleted               also list soft-deleted subjects, each marked
  --prefix <P>            only subjects whose name starts with P

${globalHelp}

Example:
  schemawire subjects --prefix user`,
  run,
};

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, options);
  if (positionals.length > 0) throw new UsageError('cannot list subjects: it takes no arguments');
  const registry = openRegistry(values, io);
  const prefix = values.prefix ?? '';
  const live = (await registry.listSubjects()).filter((subject) => subject.startsWith(prefix));
  if (values.deleted !== true) {
    for (const subject of live.sort()) writeLine(io.stdout, jsonLine({ subject }));
    return 0;
  }
  const alive = new Set(live);
  const all = (await registry.listSubjects({ deleted: true })).filter((subject) =>
    subject.startsWith(prefix),
  );
  for (const subject of [...new Set([...all, ...live])].sort()) {
    writeLine(io.stdout, jsonLine({ subject, deleted: !alive.has(subject) }));
  }
  return 0;
}
