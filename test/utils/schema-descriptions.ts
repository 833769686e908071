import type { GraphQLSchema } from 'graphql';

const BUILT_IN_SCALARS = ['String', 'Boolean', 'Int', 'Float', 'ID'];
const ROOTS = ['Query', 'Mutation', 'Subscription'];

/**
 * Every type, field, argument and enum value of the schema that has no description, as
 * `Type`, `Type.field`, `Type.field(arg)` or `Enum.VALUE`. `isOurs` narrows the check to one
 * module: a type is checked when its name matches, a root field when the field's name does.
 */
export function undescribed(
  schema: GraphQLSchema,
  isOurs: (name: string) => boolean = () => true,
): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || BUILT_IN_SCALARS.includes(type.name)) continue;
    const isRoot = ROOTS.includes(type.name);
    if (!isRoot && !isOurs(type.name)) continue;
    if (!isRoot && !type.description) missing.push(type.name);
    if ('getFields' in type) {
      for (const field of Object.values(type.getFields())) {
        if (isRoot && !isOurs(field.name)) continue;
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) {
          if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    if ('getValues' in type) {
      for (const value of type.getValues()) {
        if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
  }
  return missing;
}
