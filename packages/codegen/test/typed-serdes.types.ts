/**
 * Type tests of serializers and deserializers built from generated schema handles (checked by
 * `tsc -p tsconfig.test.json`, not run).
 */
import type { Deserialized, SchemaRegistryClient } from '@schemawire/core-client';
import { Deserializer, Serializer } from '@schemawire/core-client';
import { avroFormat } from '@schemawire/serdes-avro';
import { protobufFormat } from '@schemawire/serdes-protobuf';
import { Address } from './generated/address.js';
import { Customer } from './generated/customer.js';
import { Order, Refund } from './generated/order.js';

declare const registry: SchemaRegistryClient;
const formats = [avroFormat(), protobufFormat()];

/** A serializer built from a handle takes its input type; one built from a plain schema, anything. */
export async function serializers(): Promise<void> {
  const addresses = new Serializer({ registry, formats, schema: Address });
  await addresses.serialize('addresses', { street: 'Main St', kind: 'HOME' });
  await addresses.serialize('addresses', null);
  // @ts-expect-error a wrong field
  await addresses.serialize('addresses', { street: 'Main St', kind: 'HOME', country: 'FR' });
  // @ts-expect-error a wrong enum symbol
  addresses.serializeSync('addresses', { street: 'Main St', kind: 'SHOP' });
  const orders = new Serializer({ registry, formats, schema: Order });
  // @ts-expect-error two members of one oneof
  await orders.serialize('orders', { cardNumber: '4111', cash: {} });
  const untyped = new Serializer({ registry, formats, schema: { schemaType: 'AVRO', schema: '"string"' } });
  await untyped.serialize('anything', 42);
  await untyped.serialize('anything', { any: 'thing' });
}

/** A deserializer given handles returns a union narrowed by typeName; other schemas stay unknown. */
export async function deserializers(message: { value: Buffer }): Promise<unknown[]> {
  const deserializer = new Deserializer({ registry, formats, schemas: [Customer, Order, Refund] });
  const decoded = await deserializer.deserialize(message);
  if (decoded === null) return [];
  const seen: unknown[] = [];
  switch (decoded.typeName) {
    case 'shop.avro.Customer':
      seen.push(decoded.value.address.street, decoded.value.created.getTime());
      // @ts-expect-error a Customer has no such field
      seen.push(decoded.value.payment);
      break;
    case 'shop.Order':
      seen.push(decoded.value.quantity.length);
      // @ts-expect-error an Order has no such field
      seen.push(decoded.value.address);
      break;
    case 'shop.Refund':
      seen.push(decoded.value.orderId);
      break;
    case undefined:
      // A schema none of the handles has: nothing is known of the value.
      // @ts-expect-error unknown until checked
      seen.push(decoded.value.orderId);
      break;
    default: {
      const never: never = decoded;
      seen.push(never);
    }
  }
  // @ts-expect-error not narrowed: the value may be of any schema
  seen.push(decoded.value.orderId);
  // @ts-expect-error a type name none of the handles has
  if (decoded.typeName === 'shop.Unknown') seen.push(decoded);
  const untyped = new Deserializer({ registry, formats });
  const plain: Deserialized | null = await untyped.deserialize(message);
  // @ts-expect-error without handles every value is unknown
  seen.push(plain?.value.orderId);
  const typed: Deserialized<typeof Customer> | null = deserializer.deserializeSync(message) as Deserialized<
    typeof Customer
  > | null;
  if (typed?.typeName === 'shop.avro.Customer') seen.push(typed.value.name);
  return seen;
}
