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
