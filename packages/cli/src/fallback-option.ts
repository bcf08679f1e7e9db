import { schemalessFallbacks } from '@schemawire/core-client';

/** The --fallback kinds: the deserializer's `fallback` values. */
export const fallbackChoices = schemalessFallbacks;

/** The help lines of --fallback, shared by decode and consume. */
export const fallbackHelp = `  --fallback <kind>       how a value without schema id (and no --schema for it) reads, instead of
                          failing: string (UTF-8 text; bytes that are not UTF-8 print as base64,
                          schemaType BYTES, as nothing is lost), json (JSON text, else an error), or
                          auto (JSON when the bytes parse as JSON, else as string); default none:
                          such a value fails`;
