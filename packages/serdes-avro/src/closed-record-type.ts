import avsc from 'avsc';
import type { RecordFunction } from './depth-limited-record-type.js';
import {
  DepthLimitedRecordType,
  MAX_RECORD_DEPTH,
  nesting,
  RecordsTooDeep,
} from './depth-limited-record-type.js';
import { unqualifiedName } from './type-labels.js';

/** Thrown from inside avsc when a record value holds a field its schema does not; the codec names it. */
export class UnknownField extends Error {
  override readonly name = 'UnknownField';

  constructor(field: string, record: string) {
    super(`field ${JSON.stringify(field)} is not in record ${JSON.stringify(record)}`);
  }
}

/** avsc's builder of a record's writer, which writes the fields the record has and reads no other. */
const base = avsc.types.RecordType.prototype as unknown as { _createWriter(this: avsc.Type): RecordFunction };

/**
 * A record that refuses, when written, a value with a field its schema does not have: avsc writes the
 * fields it knows and drops the others, so a misspelt field name would vanish without a word. A field
 * whose value is undefined counts as absent, as avsc counts it for defaults.
 */
export class ClosedRecordType extends DepthLimitedRecordType {
  override _createWriter(): RecordFunction {
    // A record of no fields has no case to continue from.
    const known = this.fields.map((field) => `case ${JSON.stringify(field.name)}: `).join('');
    const cases = known === '' ? '' : `${known}continue;`;
    // Built as avsc builds its writers, around avsc's own: a switch over the field names compiles to
    // comparisons of interned strings, several times faster than a lookup of each key in a set. The
    // nesting count is done here too, not in a second wrapper: the check must cost the hot path
    // little, and one call less pays for part of it.
    return new Function(
      'write',
      'nesting',
      'tooDeep',
      'unknownField',
      `return function (t, v) {
        if (typeof v === 'object' && v !== null) {
          for (var k in v) {
            switch (k) { ${cases} default: if (v[k] !== undefined) throw unknownField(k); }
          }
        }
        if (nesting.depth >= ${MAX_RECORD_DEPTH}) throw tooDeep();
        nesting.depth++;
        try {
          write(t, v);
        } finally {
          nesting.depth--;
        }
      };`,
    )(
      base._createWriter.call(this),
      nesting,
      () => new RecordsTooDeep(),
      (field: string) => new UnknownField(field, unqualifiedName(this)),
    );
  }
}
