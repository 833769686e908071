import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxCost: number;
  readonly maxAliases: number;
}

export interface LimitViolation {
  readonly reason: 'QUERY_TOO_DEEP' | 'QUERY_TOO_COSTLY' | 'TOO_MANY_ALIASES';
  readonly message: string;
}

interface Measure {
  depth: number;
  aliases: number;
}

function measure(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  depth: number,
  visiting: Set<string>,
): Measure {
  let result: Measure = { depth, aliases: 0 };
  for (const selection of selectionSet.selections) {
    let inner: Measure | undefined;
    if (selection.kind === Kind.FIELD) {
      const own = selection.alias ? 1 : 0;
      // Introspection meta-fields are bounded by the schema itself.
      if (selection.name.value.startsWith('__')) continue;
      inner = selection.selectionSet
        ? measure(selection.selectionSet, fragments, depth + 1, visiting)
        : { depth: depth + 1, aliases: 0 };
      inner = { depth: inner.depth, aliases: inner.aliases + own };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = measure(selection.selectionSet, fragments, depth, visiting);
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      // Fragment cycles are a validation error reported by graphql itself.
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      inner = measure(fragment.selectionSet, fragments, depth, visiting);
      visiting.delete(name);
    }
    result = {
      depth: Math.max(result.depth, inner.depth),
      aliases: result.aliases + inner.aliases,
    };
  }
  return result;
}

/** Depth, alias and cost checks for one operation, before anything executes. */
export function checkQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: QueryLimits,
): LimitViolation | undefined {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const { depth, aliases } = measure(operation.selectionSet, fragments, 0, new Set());
  if (depth > limits.maxDepth) {
    return {
      reason: 'QUERY_TOO_DEEP',
      message: `Query depth ${depth} exceeds the limit of ${limits.maxDepth}`,
    };
  }
  if (aliases > limits.maxAliases) {
    return {
      reason: 'TOO_MANY_ALIASES',
      message: `Query uses ${aliases} aliases; the limit is ${limits.maxAliases}`,
    };
  }
  const cost = getComplexity({
    schema,
    query: document,
    operationName: operation.name?.value,
    variables,
    estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
  });
  if (cost > limits.maxCost) {
    return {
      reason: 'QUERY_TOO_COSTLY',
      message: `Query cost ${cost} exceeds the limit of ${limits.maxCost}`,
    };
  }
  return undefined;
}
