import { registerAs } from '@nestjs/config';
import { bool, currentProfile, int } from './profile';

export interface GraphqlConfig {
  readonly introspection: boolean;
  readonly maxDepth: number;
  readonly maxCost: number;
  readonly maxAliases: number;
  /** Operations in one batched HTTP request (an array body). */
  readonly maxBatch: number;
}

export const graphqlConfig = registerAs('graphql', (): GraphqlConfig => {
  const production = currentProfile() === 'production';
  return {
    introspection: bool(process.env.GRAPHQL_INTROSPECTION, !production),
    maxDepth: int(process.env.GRAPHQL_MAX_DEPTH, 8),
    maxCost: int(process.env.GRAPHQL_MAX_COST, 1000),
    maxAliases: int(process.env.GRAPHQL_MAX_ALIASES, 15),
    maxBatch: int(process.env.GRAPHQL_MAX_BATCH, 5),
  };
});
