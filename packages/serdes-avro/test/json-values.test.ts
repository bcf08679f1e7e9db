import { describe, expect, it } from '@jest/globals';
import { ErrorCode, resolvedSchema } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import { failure } from './support/failures.js';

const compile = (schema: unknown) => avroFormat().compile(resolvedSchema('AVRO', JSON.stringify(schema)));

describe('avro > json values', () => {
  it('turns base64 text into bytes and fixed, at any depth, and leaves other values as they are', () => {
    const codec = compile({
      type: 'record',
      name: 'Blob',
      fields: [
        { name: 'data', type: 'bytes' },
        { name: 'byName', type: { type: 'map', values: { type: 'fixed', name: 'Two', size: 2 } } },
        { name: 'maybe', type: ['null', 'bytes'] },
        { name: 'text', type: 'string' },
      ],
    });
    const value = { data: 'AQID', byName: { k: '//8=' }, maybe: 'AA==', text: 'AQID', extra: 1 };
    expect(codec.fromJson!(value)).toEqual({
      data: Buffer.from([1, 2, 3]),
      byName: { k: Buffer.from([255, 255]) },
      maybe: Buffer.from([0]),
      text: 'AQID',
      extra: 1,
    });
    expect(value.data).toBe('AQID');
  });

  it('picks the first union branch the value fits, and keeps text that is not base64', () => {
    const codec = compile(['null', 'string', 'bytes']);
    expect(codec.fromJson!('AQID')).toBe('AQID');
    expect(compile(['null', 'bytes']).fromJson!('not base64!')).toBe('not base64!');
  });

  it('keeps text as text in a union whose bytes branch comes before its string branch', () => {
    const codec = compile(['null', 'bytes', 'string']);
    for (const text of ['user', 'users', '']) expect(codec.fromJson!(text)).toBe(text);
    expect(compile(['null', 'bytes']).fromJson!('dXNlcg==')).toEqual(Buffer.from('user'));
  });

  it('names only the field that is wrong when no union branch takes the value', () => {
    const inner = {
      type: 'record',
      name: 'Inner',
      fields: [
        { name: 'b1', type: 'bytes' },
        { name: 'b2', type: 'bytes' },
        { name: 'count', type: 'int' },
      ],
    };
    const codec = compile({
      type: 'record',
      name: 'Outer',
      fields: [{ name: 'inner', type: ['null', inner] }],
    });
    const value = codec.fromJson!({ inner: { b1: 'AQ==', b2: 'Ag==', count: 'seven' } });
    expect(failure(() => codec.encode(value, 0), ErrorCode.SerializationFailed).message).toBe(
      'cannot serialize value: field "inner.count" expected "int", got "seven"',
    );
  });

  it('reads a wrapped union by its branch name', () => {
    const record = (name: string) => ({ type: 'record', name, fields: [{ name: 'b', type: 'bytes' }] });
    const codec = compile([record('A'), record('B')]);
    expect(codec.fromJson!({ B: { b: 'AQ==' } })).toEqual({ B: { b: Buffer.from([1]) } });
  });
});
