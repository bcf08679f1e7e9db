/** One `name=value` of a properties text, with the line it starts on. */
export interface Property {
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

/** A line of a properties text that holds no `name=value`; its text is not kept, as it may be a secret. */
export class PropertiesSyntaxError extends Error {
  override readonly name = 'PropertiesSyntaxError';
  constructor(readonly line: number) {
    super(`line ${line} is not name=value`);
  }
}

/**
 * The properties of a Java-style properties text: `name=value` (or `name: value`) lines, `#` and `!`
 * comment lines, blank lines, a backslash at the end of a line continuing it, and Java's escapes
 * (`\\`, `\=`, `\:`, `\t`, `\n`, `\uXXXX`). The name ends at the first `=` or `:`, so values may hold
 * both (URLs, JAAS lines). A line without either is a {@link PropertiesSyntaxError}.
 */
export function parseProperties(text: string): Property[] {
  const out: Property[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let logical = lines[i]!.replace(/^[ \t\f]+/, '');
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    // A line ending in an odd number of backslashes goes on with the next one, less its indentation.
    while (endsInOddBackslashes(logical) && i + 1 < lines.length) {
      i += 1;
      logical = logical.slice(0, -1) + lines[i]!.replace(/^[ \t\f]+/, '');
    }
    const separator = findSeparator(logical);
    if (separator === -1) throw new PropertiesSyntaxError(start);
    const name = unescapeText(logical.slice(0, separator).trimEnd());
    if (name === '') throw new PropertiesSyntaxError(start);
    const value = unescapeText(logical.slice(separator + 1).replace(/^[ \t\f]+/, ''));
    out.push({ name, value, line: start });
  }
  return out;
}

function endsInOddBackslashes(line: string): boolean {
  let count = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) count += 1;
  return count % 2 === 1;
}

// The first `=` or `:` that no backslash escapes.
function findSeparator(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i += 1;
    else if (c === '=' || c === ':') return i;
  }
  return -1;
}

const ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

// As java.util.Properties reads them: a backslash before any other character stands for that character.
function unescapeText(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|[\s\S]?)/g, (_, escaped: string) => {
    if (escaped.length === 5) return String.fromCharCode(Number.parseInt(escaped.slice(1), 16));
    return ESCAPES[escaped] ?? escaped;
  });
}
