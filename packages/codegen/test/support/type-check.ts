import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * `value` as a TypeScript expression that builds it: what the compiler checks against a generated
 * type. Object literals get excess property checks, so a key the type lacks fails as a missing one does.
 */
export function literal(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'boolean':
      return String(value);
    case 'number':
      if (Number.isNaN(value)) return 'Number.NaN';
      if (!Number.isFinite(value)) return value > 0 ? 'Number.POSITIVE_INFINITY' : 'Number.NEGATIVE_INFINITY';
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'string':
      return JSON.stringify(value);
  }
  if (Buffer.isBuffer(value)) return `Buffer.from('${value.toString('hex')}', 'hex')`;
  if (value instanceof Uint8Array) return `new Uint8Array([${value.join(', ')}])`;
  if (value instanceof Date) return `new Date(${literal(value.getTime())})`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(
      // A computed key: `__proto__: x` in a literal would set the prototype, not a property.
      ([key, item]) => `[${JSON.stringify(key)}]: ${literal(item)}`,
    );
    return `{ ${entries.join(', ')} }`;
  }
  throw new Error(`cannot write a literal of ${typeof value}`);
}

/** One value to check: `const <name>: <type> = <literal of value>`, with `type` imported from `module`. */
export interface TypedValue {
  readonly module: string;
  readonly type: string;
  readonly value: unknown;
}

/**
 * Type-checks every value against its type with the project's compiler and strict options, in one
 * run; resolves to the compiler's errors (empty when every value has its type).
 */
export async function typeCheck(values: readonly TypedValue[]): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'schemawire-types-'));
  try {
    const imports = [
      ...new Set(values.map(({ module, type }) => `import type { ${type} } from '${module}';`)),
    ];
    const lines = values.map(({ type, value }, i) => `export const v${i}: ${type} = ${literal(value)};`);
    await writeFile(join(folder, 'values.mts'), [...imports, ...lines].join('\n'));
    await writeFile(
      join(folder, 'tsconfig.json'),
      JSON.stringify({
        extends: join(repository, 'tsconfig.base.json'),
        compilerOptions: {
          noEmit: true,
          composite: false,
          declaration: false,
          declarationMap: false,
          typeRoots: [join(repository, 'node_modules/@types')],
        },
        files: ['values.mts'],
      }),
    );
    const tsc = join(repository, 'node_modules/.bin/tsc');
    try {
      await promisify(execFile)(tsc, ['-p', join(folder, 'tsconfig.json')], { maxBuffer: 64 * 1024 * 1024 });
      return '';
    } catch (error) {
      return String((error as { stdout?: unknown }).stdout ?? error);
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
