import { describe, expect, it } from '@jest/globals';
import {
  ErrorCode,
  recordNameStrategy,
  subjectNameStrategies,
  topicNameStrategy,
  topicRecordNameStrategy,
} from '@schemawire/core-client';

const named = { topic: 'orders', typeName: 'com.example.Order' };

describe('subject name strategy > topic', () => {
  it('names the value and key subjects after the topic', () => {
    expect(topicNameStrategy({ ...named, isKey: false })).toBe('orders-value');
    expect(topicNameStrategy({ ...named, isKey: true })).toBe('orders-key');
  });

  it('needs no type name', () => {
    expect(topicNameStrategy({ topic: 'orders', isKey: false, typeName: undefined })).toBe('orders-value');
  });
});

describe('subject name strategy > record', () => {
  it('names the subject after the full type name, for keys and values alike', () => {
    expect(recordNameStrategy({ ...named, isKey: false })).toBe('com.example.Order');
    expect(recordNameStrategy({ ...named, isKey: true })).toBe('com.example.Order');
  });

  it('refuses a schema without a named type, naming the topic', () => {
    expect(() => recordNameStrategy({ topic: 'orders', isKey: false, typeName: undefined })).toThrow(
      expect.objectContaining({
        code: ErrorCode.Config,
        topic: 'orders',
        message: expect.stringMatching(/^cannot name subject with the record strategy: .*"orders"/),
      }),
    );
  });
});

describe('subject name strategy > topic record', () => {
  it('names the subject after the topic and the full type name', () => {
    expect(topicRecordNameStrategy({ ...named, isKey: false })).toBe('orders-com.example.Order');
    expect(topicRecordNameStrategy({ ...named, isKey: true })).toBe('orders-com.example.Order');
  });

  it('refuses a schema without a named type', () => {
    expect(() => topicRecordNameStrategy({ topic: 'orders', isKey: false, typeName: undefined })).toThrow(
      expect.objectContaining({
        code: ErrorCode.Config,
        message: expect.stringContaining('topic-record strategy'),
      }),
    );
  });
});

describe('subject name strategy > by name', () => {
  it('maps the option names to the strategies', () => {
    expect(subjectNameStrategies).toEqual({
      topic: topicNameStrategy,
      record: recordNameStrategy,
      topicRecord: topicRecordNameStrategy,
    });
  });
});
