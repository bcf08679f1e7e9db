import { describe, expect, it } from '@jest/globals';
import { Deserializer, ErrorCode, SchemalessSerializer, Serializer } from '@schemawire/core-client';
import { defineTopic, MessageWriter } from '@schemawire/kafka-common';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';

const formats = [avroFormat()];
const handle = (name: string, field: string) =>
  ({
    schemaType: 'AVRO',
    schema: JSON.stringify({ type: 'record', name, fields: [{ name: field, type: 'string' }] }),
    typeName: name,
  }) as const;
const Tick = handle('Tick', 'n');
const User = handle('User', 'name');
const UserId = handle('UserId', 'id');

describe('kafka-common > message writer > defined topics', () => {
  it("writes a defined topic's values and keys with its schemas, and other topics with the producer's", async () => {
    const registry = new EmbeddedRegistry({ formats });
    const writer = new MessageWriter(
      new Serializer({ registry, formats, schema: Tick }),
      new Serializer({ registry, formats, schema: Tick, isKey: true }),
    );
    const users = defineTopic('users', { value: User, key: UserId });
    const typed = writer.forTopic(users);
    expect(writer.forTopic(users)).toBe(typed);
    await typed.prepare([{ topic: 'users', messages: [{ key: { id: '7' }, value: { name: 'ada' } }] }]);
    await writer.prepare([{ topic: 'ticks', messages: [{ value: { n: '1' } }] }]);
    const user = typed.write('users', { key: { id: '7' }, value: { name: 'ada' } });
    const tick = writer.write('ticks', { value: { n: '1' } });
    const values = new Deserializer({ registry, formats, schemas: [User, Tick] });
    const keys = new Deserializer({ registry, formats, schemas: [UserId], isKey: true });
    const read = async (message: { key?: Buffer | string | null; value: Buffer | null }) => {
      const key = message.key == null || typeof message.key === 'string' ? null : message.key;
      return {
        value: await values.deserialize({ value: message.value }),
        key: key === null ? null : await keys.deserialize({ key, value: null }),
      };
    };
    const [readUser, readTick] = [await read(user), await read(tick)];
    expect(readUser.value).toMatchObject({
      typeName: 'User',
      value: { name: 'ada' },
      subject: 'users-value',
    });
    expect(readUser.key).toMatchObject({ typeName: 'UserId', value: { id: '7' }, subject: 'users-key' });
    expect(readTick.value).toMatchObject({ typeName: 'Tick', value: { n: '1' }, subject: 'ticks-value' });
  });

  it('refuses a defined topic whose schema has no schema-aware serializer to write it', () => {
    const writer = new MessageWriter(new SchemalessSerializer('json'), undefined);
    expect(() => writer.forTopic(defineTopic('users', { value: User }))).toThrow(
      expect.objectContaining({
        code: ErrorCode.Config,
        message:
          'cannot send to topic "users": its value schema needs a schema-aware value serializer (a Serializer) to write it',
      }),
    );
  });
});
