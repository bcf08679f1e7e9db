import type { SchemaWireError } from '@schemawire/core-client';
import type { ConsumedMessage, OutgoingMessage, RawHeaders } from './consumed.js';

/** The headers a dead letter carries besides its own: why it could not be decoded, and where it was. */
export const DEAD_LETTER_HEADERS = {
  code: 'schemawire.error.code',
  message: 'schemawire.error.message',
  topic: 'schemawire.error.topic',
  partition: 'schemawire.error.partition',
  offset: 'schemawire.error.offset',
} as const;

/** A dead letter: the message's key, value and headers as they came, plus the error headers. */
export interface DeadLetterMessage extends OutgoingMessage {
  key: Buffer | null;
  headers: RawHeaders;
}

/**
 * The record that takes an undecodable message to a dead-letter topic: its key, value and headers as
 * they came, so it can be replayed byte for byte, plus the {@link DEAD_LETTER_HEADERS}. Error headers
 * left by an earlier trip through a dead-letter topic are replaced.
 */
export function deadLetterMessage(error: SchemaWireError, consumed: ConsumedMessage): DeadLetterMessage {
  const { message } = consumed;
  return {
    key: message.key ?? null,
    value: message.value,
    headers: {
      ...message.headers,
      [DEAD_LETTER_HEADERS.code]: error.code,
      [DEAD_LETTER_HEADERS.message]: error.message,
      [DEAD_LETTER_HEADERS.topic]: consumed.topic,
      [DEAD_LETTER_HEADERS.partition]: String(consumed.partition),
      [DEAD_LETTER_HEADERS.offset]: message.offset,
    },
  };
}
