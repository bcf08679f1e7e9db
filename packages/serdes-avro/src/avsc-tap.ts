import { createRequire } from 'node:module';

/** The part of avsc's byte cursor (its internal `Tap`) that the types defined here read and write with. */
export interface Tap {
  readonly buf: Buffer;
  pos: number;
  readLong(): number;
  readInt(): number;
  writeLong(value: number): void;
  skipLong(): void;
  readString(): string;
  skipString(): void;
  /** Moves the position past the end, which marks what was read as invalid. */
  _invalidate(): void;
}

/** A cursor of its own that a codec points at each payload it decodes. */
export interface ReusableTap extends Tap {
  buf: Buffer;
  isValid(): boolean;
}

/**
 * avsc's cursor class. Its `decode(buffer, offset)`, the only public way to read from an offset, makes
 * a cursor and a `{ value, offset }` object per call; a codec that keeps one cursor and calls its
 * type's reader makes neither. avsc is pinned to an exact version, whose `lib/utils` holds the class.
 */
export const AvscTap = (
  createRequire(import.meta.url)('avsc/lib/utils') as { Tap: new (buf: Buffer, pos: number) => ReusableTap }
).Tap;
