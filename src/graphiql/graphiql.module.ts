import { Module } from '@nestjs/common';

import { defaultGraphiqlAssetsDir, GRAPHIQL_ASSETS_DIR } from './graphiql-assets';
import { GraphiqlController } from './graphiql.controller';

/** Serves GraphiQL at GET /graphiql from the bundle built by `npm run build:graphiql`. */
@Module({
  controllers: [GraphiqlController],
  providers: [{ provide: GRAPHIQL_ASSETS_DIR, useFactory: () => defaultGraphiqlAssetsDir() }],
})
export class GraphiqlModule {}
