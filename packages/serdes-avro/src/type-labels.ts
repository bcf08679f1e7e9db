import avsc from 'avsc';
import { DecimalType } from './logical-types.js';

/**
 * A short name of a type for messages: primitives and named types by name, logical types by theirs
 * (`decimal(4,2)`), collections and unions by their parts (`array<string>`, `union<null,string>`).
 */
export function typeLabel(type: avsc.Type): string {
  if (type instanceof DecimalType) return `decimal(${type.precision},${type.scale})`;
  if (avsc.Type.isType(type, 'logical')) return type.typeName.slice('logical:'.length);
  if (type.name !== undefined) return type.name;
  if (type instanceof avsc.types.ArrayType) return `array<${typeLabel(type.itemsType)}>`;
  if (type instanceof avsc.types.MapType) return `map<${typeLabel(type.valuesType as avsc.Type)}>`;
  if (avsc.Type.isType(type, 'union')) {
    const { types } = type as avsc.types.UnwrappedUnionType;
    return `union<${types.map(typeLabel).join(',')}>`;
  }
  return type.typeName;
}

/** A named type's name without its namespace, as a reader names a record in a message. */
export function unqualifiedName(type: avsc.Type): string {
  const name = type.name ?? '';
  return name.slice(name.lastIndexOf('.') + 1);
}
