import avsc from 'avsc';

/**
 * How deep records may nest in a value read or written. Only a recursive schema (a linked list, a
 * tree) nests deeper than the schema itself, as deep as the bytes or the value say; past this depth
 * the call stack, not the data, would decide where reading stops.
 */
export const MAX_RECORD_DEPTH = 1000;

/** Thrown from inside avsc when records nest deeper than {@link MAX_RECORD_DEPTH}; the codec names it. */
export class RecordsTooDeep extends Error {
  override readonly name = 'RecordsTooDeep';

  constructor() {
    super(`records nested at most ${MAX_RECORD_DEPTH} deep, found deeper`);
  }
}

/** What avsc generates to read, skip, write or check one record: called with the type (or resolver) as `this`. */
export type RecordFunction = (this: unknown, a?: unknown, b?: unknown, c?: unknown, d?: unknown) => unknown;

/** The members of avsc's RecordType that build those functions, which its typings leave out. */
interface RecordTypeInternals {
  _createReader(): RecordFunction;
  _createSkipper(): RecordFunction;
  _createWriter(): RecordFunction;
  _createChecker(): RecordFunction;
  _update(resolver: { _read: RecordFunction }, type: avsc.Type, options: unknown): void;
}

const base = avsc.types.RecordType.prototype as unknown as RecordTypeInternals;

/**
 * Records being read, skipped, written or checked right now. avsc's calls are synchronous and nest
 * only inside one another, so one count serves every type (and the writers other files build).
 */
export const nesting = { depth: 0 };

function limited(inner: RecordFunction): RecordFunction {
  return function (this: unknown, a, b, c, d) {
    if (nesting.depth >= MAX_RECORD_DEPTH) throw new RecordsTooDeep();
    nesting.depth += 1;
    try {
      return inner.call(this, a, b, c, d);
    } finally {
      nesting.depth -= 1;
    }
  };
}

/**
 * avsc's record type with each read, skip, write and validity check counted, so that a value nested
 * deeper than {@link MAX_RECORD_DEPTH} fails with {@link RecordsTooDeep} instead of a stack overflow.
 * avsc freezes its types, so the counting goes into the functions it builds for each record (and for
 * each resolver that reads one record as another).
 */
export class DepthLimitedRecordType extends avsc.types.RecordType {
  _createReader(): RecordFunction {
    return limited(base._createReader.call(this));
  }

  _createSkipper(): RecordFunction {
    return limited(base._createSkipper.call(this));
  }

  _createWriter(): RecordFunction {
    return limited(base._createWriter.call(this));
  }

  _createChecker(): RecordFunction {
    return limited(base._createChecker.call(this));
  }

  _update(resolver: { _read: RecordFunction }, type: avsc.Type, options: unknown): void {
    base._update.call(this, resolver, type, options);
    resolver._read = limited(resolver._read);
  }
}
