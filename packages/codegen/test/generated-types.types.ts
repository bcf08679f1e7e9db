/**
 * Type tests of the generated modules (checked by `tsc -p tsconfig.test.json`, not run): each
 * construct takes the values its codec decodes and takes, and `@ts-expect-error` marks what must not
 * compile: a wrong field, a wrong enum symbol, a wrong union branch. The modules in generated/ are the
 * codegen of fixtures/ (codegen.test.ts checks they are up to date).
 */
import type { Address, AddressInput } from './generated/address.js';
import type { Customer, CustomerInput } from './generated/customer.js';
import type { Order, OrderInput, Refund } from './generated/order.js';
import type { Person } from './generated/person.js';
import type { PostalAddress } from './generated/postal-address.js';

const buffer = Buffer.from([1, 2, 3, 4]);

const customer: CustomerInput = {
  id: 9007199254740993n,
  name: 'Ada',
  address: { street: 'Main St', kind: 'HOME' },
  tags: ['a'],
  scores: { math: 1.5 },
  photo: buffer,
  checksum: buffer,
  created: new Date(0),
  updated: 1_000_000,
  birthday: '2000-01-01',
  token: '6f1c1f3e-0000-4000-8000-000000000000',
  balance: '12.50',
  contact: 'ada@example.com',
  amount: { long: 5n },
  partner: { 'shop.avro.Company': { title: 'Acme' } },
  history: [null, 'CLOSED'],
};

/** Avro: records, enums, defaults, unions, logical types. */
export const avro: readonly unknown[] = [
  customer,
  // Fields with defaults may be left out on the producer side, not on the decoded side.
  { street: 'x', kind: 'WORK' } satisfies AddressInput,
  // @ts-expect-error a decoded Address always has zip: the codec fills in the default
  { street: 'x', kind: 'WORK' } satisfies Address,
  // @ts-expect-error a field the record does not have
  { street: 'x', kind: 'WORK', country: 'FR' } satisfies AddressInput,
  // @ts-expect-error a symbol the enum does not have
  { street: 'x', kind: 'SHOP' } satisfies AddressInput,
  // @ts-expect-error a field without a default may not be left out
  { kind: 'WORK' } satisfies AddressInput,
  // @ts-expect-error a wrapped union's branch the union does not have
  { ...customer, amount: { double: 1 } } satisfies CustomerInput,
  // @ts-expect-error a wrapped union takes one branch object, not the bare value
  { ...customer, amount: 5 } satisfies CustomerInput,
  // @ts-expect-error a union branch of another record
  { ...customer, partner: { 'shop.avro.Company': { street: 'x', kind: 'HOME' } } } satisfies CustomerInput,
  // @ts-expect-error an unwrapped union without a boolean branch
  { ...customer, contact: true } satisfies CustomerInput,
  // @ts-expect-error bytes are a Buffer, not text
  { ...customer, photo: 'AQID' } satisfies CustomerInput,
  // @ts-expect-error an array of the wrong items
  { ...customer, tags: [1] } satisfies CustomerInput,
  // @ts-expect-error a map of the wrong values
  { ...customer, scores: { math: 'A' } } satisfies CustomerInput,
  // @ts-expect-error a date is not a boolean
  { ...customer, created: true } satisfies CustomerInput,
];

/** What decoded Avro values hold, as read. */
export function readCustomer(value: Customer): readonly unknown[] {
  const created: Date = value.created;
  const micros: number = value.updated;
  const balance: string = value.balance;
  // @ts-expect-error a long decodes as a number or a bigint, not always a number
  const id: number = value.id;
  let branch: number | bigint | undefined;
  if ('long' in value.amount) branch = value.amount.long;
  else branch = value.amount.int;
  // @ts-expect-error the partner may be null
  const partner: string = value.partner['shop.avro.Company'].title;
  return [created, micros, balance, id, branch, partner];
}

const order: OrderInput = {
  id: 'o-1',
  quantity: 2n,
  bigTotal: '18446744073709551615',
  price: { currency: 'EUR', units: 12 },
  lines: [{ sku: 'a', qty: 1 }],
  counts: { a: 1 },
  status: 'SHIPPED',
  note: 'gift wrap',
  blob: new Uint8Array([1]),
  placedAt: { seconds: 1, nanos: 0 },
  linesBySku: { a: { sku: 'a' } },
  history: ['NEW', 1],
  cash: { currency: 'EUR', units: '5' },
};

/** Protobuf: messages (nested), enums, oneofs, maps, repeated, 64-bit integers, well-known types, imports. */
export const protobuf: readonly unknown[] = [
  order,
  {} satisfies OrderInput,
  { cardNumber: '4111' } satisfies OrderInput,
  { orderId: 'o-1', amount: null } satisfies Partial<Refund>,
  // @ts-expect-error a field the message does not have
  { ...order, discount: 1 } satisfies OrderInput,
  // @ts-expect-error a name the enum does not have
  { status: 'LOST' } satisfies OrderInput,
  // @ts-expect-error two members of one oneof
  { cardNumber: '4111', cash: { units: 1 } } satisfies OrderInput,
  // @ts-expect-error a nested message's field it does not have
  { lines: [{ sku: 'a', price: 1 }] } satisfies OrderInput,
  // @ts-expect-error an imported message's field it does not have
  { price: { amount: 1 } } satisfies OrderInput,
  // @ts-expect-error a well-known type's field it does not have
  { placedAt: { millis: 1 } } satisfies OrderInput,
  // @ts-expect-error a map of the wrong values
  { counts: { a: 'one' } } satisfies OrderInput,
  // @ts-expect-error a 64-bit integer is not a boolean
  { quantity: true } satisfies OrderInput,
];

/** What decoded Protobuf values hold, as read. */
export function readOrder(value: Order): readonly unknown[] {
  // The default longs option decodes 64-bit integers as decimal text.
  const quantity: string = value.quantity;
  const seconds: string | undefined = value.placedAt?.seconds;
  const note: string | undefined = value.note;
  let paid: string | undefined;
  if (value.payment === 'cash') paid = value.cash.units;
  else if (value.payment === 'cardNumber') paid = value.cardNumber;
  // @ts-expect-error without narrowing, the oneof member may be absent
  const card: string = value.cardNumber;
  // @ts-expect-error an unset message field is null
  const currency: string = value.price.currency;
  // @ts-expect-error an enum may come as the number of a value the schema does not name
  const status: 'NEW' | 'SHIPPED' = value.status;
  return [quantity, seconds, note, paid, card, currency, status];
}

const person: Person = {
  name: 'Ada',
  kind: 'customer',
  version: 1,
  age: 36,
  address: { street: 'Main St' },
  contact: { address: 'ada@example.com', verified: true },
  nickname: null,
  extras: { height: 1.7 },
  notes: { anything: [1, 'two'] },
};

/** JSON Schema: required and optional properties, $ref, enum and const, oneOf, additionalProperties. */
export const jsonSchema: readonly unknown[] = [
  person,
  { ...person, contact: { number: '+33 1' } } satisfies Person,
  { street: 'x' } satisfies PostalAddress,
  // @ts-expect-error a property the closed schema does not allow
  { ...person, email: 'x' } satisfies Person,
  // @ts-expect-error a required property left out
  { kind: 'customer', version: 1 } satisfies Person,
  // @ts-expect-error a value the enum does not have
  { ...person, kind: 'partner' } satisfies Person,
  // @ts-expect-error another value than the const
  { ...person, version: 2 } satisfies Person,
  // @ts-expect-error a oneOf branch of the wrong shape: an Email without verified
  { ...person, contact: { address: 'ada@example.com' } } satisfies Person,
  // @ts-expect-error a $ref to another file's schema, with a property it does not allow
  { ...person, address: { street: 'x', zip: '1' } } satisfies Person,
  // @ts-expect-error additionalProperties of numbers
  { ...person, extras: { height: 'tall' } } satisfies Person,
  // @ts-expect-error an array of the wrong items
  { ...person, tags: [1] } satisfies Person,
];
