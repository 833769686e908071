import {
  Controller,
  Get,
  Header,
  Inject,
  NotFoundException,
  Param,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { Public } from '../common/auth/public.decorator';
import { GRAPHIQL_ASSETS_DIR, GraphiqlAssets, isGraphiqlAssetFile } from './graphiql-assets';

// Only our own origin: an accidental CDN font or script is blocked, not silently loaded.
// data: is needed because GraphiQL's fonts are inlined in its CSS; styles need 'unsafe-inline'
// because CodeMirror and GraphiQL set style attributes.
export const GRAPHIQL_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES = {
  'graphiql.js': 'text/javascript; charset=utf-8',
  'graphiql.css': 'text/css; charset=utf-8',
} as const;

export const GRAPHIQL_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Payrail GraphiQL</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/graphiql/graphiql.css" />
    <script src="/graphiql/graphiql.js" defer></script>
  </head>
  <body style="margin: 0">
    <div id="graphiql" style="height: 100vh">Loading GraphiQL…</div>
  </body>
</html>
`;

@Public()
@Controller('graphiql')
export class GraphiqlController {
  private readonly assets: GraphiqlAssets;

  constructor(@Inject(GRAPHIQL_ASSETS_DIR) assetsDir: string) {
    this.assets = new GraphiqlAssets(assetsDir);
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', GRAPHIQL_CONTENT_SECURITY_POLICY)
  @Header('Cache-Control', 'no-cache')
  page(): string {
    return GRAPHIQL_HTML;
  }

  @Get(':file')
  async asset(
    @Param('file') file: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    if (!isGraphiqlAssetFile(file)) throw new NotFoundException(`No GraphiQL asset "${file}"`);
    const content = await this.assets.read(file);
    if (!content) {
      throw new ServiceUnavailableException({
        statusCode: 503,
        error: 'GRAPHIQL_NOT_BUILT',
        message: `GraphiQL bundle missing (${file}): run \`npm run build:graphiql\``,
      });
    }
    reply.header('Content-Type', CONTENT_TYPES[file]);
    reply.header('Cache-Control', 'no-cache');
    reply.header('X-Content-Type-Options', 'nosniff');
    return content;
  }
}
