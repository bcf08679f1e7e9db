import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { errorLines, repoRoot, runCli, USER } from '../support/cli-process.js';

describe('cli > demo', () => {
  it('decodes the user back with every carrier and exits 0', async () => {
    const run = await runCli(['demo', '--schemas', join(repoRoot, 'schemas')], { cwd: tmpdir() });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const decoded = run.stdout.split('\n').filter((line) => line.includes('decoded'));
    expect(decoded).toHaveLength(4);
    for (const [line, carrier] of decoded.map((line, i) => [
      line,
      ['prefix', 'confluent-header', 'apicurio-header', 'key'][i],
    ])) {
      expect(line).toContain(JSON.stringify(USER));
      expect(line).toContain(`found in ${carrier}`);
      expect(line).toContain('AVRO');
    }
  });

  it('reads schemas/ under the working directory by default', async () => {
    const run = await runCli(['demo'], { cwd: repoRoot });
    expect(run.code).toBe(0);
  });

  it('fails with one line when the schema directory has no user.avsc', async () => {
    const run = await runCli(['demo', '--schemas', join(repoRoot, 'no-such-dir')]);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^error: cannot read schema file .*user\.avsc.*: no such file$/),
    ]);
  });
});
