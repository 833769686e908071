import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const parse = (value: unknown): number => {
  const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw new GraphQLError('SafeInt must be an integer between -(2^53-1) and 2^53-1');
  }
  return number;
};

/**
 * An integer up to ±(2^53 − 1): minor-unit amounts outgrow GraphQL's 32-bit Int (₹21,474,836.47
 * is only 2^31 paisa). Serialised as a JSON number; a decimal string of digits is accepted as input.
 */
export const SafeIntScalar = new GraphQLScalarType({
  name: 'SafeInt',
  description:
    'An integer between -(2^53-1) and 2^53-1, e.g. an amount in minor units (cents, paisa).',
  serialize: parse,
  parseValue: parse,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT && ast.kind !== Kind.STRING) {
      throw new GraphQLError('SafeInt must be an integer literal');
    }
    return parse(ast.kind === Kind.INT ? Number(ast.value) : ast.value);
  },
});
