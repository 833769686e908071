import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type INestApplication, Module } from '@nestjs/common';
import { Context, GraphQLModule, Query, Resolver } from '@nestjs/graphql';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { FastifyRequest } from 'fastify';

import { GRAPHIQL_ASSETS_DIR } from '../../src/graphiql/graphiql-assets';
import { GRAPHIQL_CONTENT_SECURITY_POLICY } from '../../src/graphiql/graphiql.controller';
import { GraphiqlModule } from '../../src/graphiql/graphiql.module';
import { createUser } from '../factories/users.factory';
import { createTestApp, type TestApp } from '../utils/create-test-app';
import { CHROMIUM_PATH, checkGraphiqlInBrowser } from '../utils/graphiql-browser';

const root = join(__dirname, '..', '..');
const assetsDir = join(root, 'public', 'graphiql');

// A minimal app for the asset-failure cases, which need their own assets folder.
@Resolver()
class HelloResolver {
  @Query(() => String)
  hello(): string {
    return 'Hello from Payrail';
  }

  @Query(() => String, { description: 'Echoes the Authorization header GraphiQL sent.' })
  authorization(@Context('req') request: FastifyRequest): string {
    return request.headers.authorization ?? 'none';
  }
}

@Module({
  imports: [
    GraphiqlModule,
    GraphQLModule.forRoot<ApolloDriverConfig>({
      driver: ApolloDriver,
      autoSchemaFile: true,
      playground: false,
      graphiql: false,
    }),
  ],
  providers: [HelloResolver],
})
class GraphiqlTestModule {}

async function startApp(assets?: string): Promise<{ app: INestApplication; baseUrl: string }> {
  let builder = Test.createTestingModule({ imports: [GraphiqlTestModule] });
  if (assets) builder = builder.overrideProvider(GRAPHIQL_ASSETS_DIR).useValue(assets);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
  await app.listen(0, '127.0.0.1');
  return { app, baseUrl: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

describe('GraphiQL page', () => {
  let testApp: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(
        `Chromium is required at ${CHROMIUM_PATH} for the GraphiQL browser test: ` +
          '`apt-get install -y chromium`',
      );
    }
    if (
      !existsSync(join(assetsDir, 'graphiql.js')) ||
      !existsSync(join(assetsDir, 'graphiql.css'))
    ) {
      const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-graphiql.mjs')], {
        cwd: root,
        encoding: 'utf8',
      });
      if (build.status !== 0) {
        throw new Error(`npm run build:graphiql failed:\n${build.stdout}${build.stderr}`);
      }
    }

    // The real application, as production boots it.
    testApp = await createTestApp();
    baseUrl = testApp.url;
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('serves the page with a same-origin-only content security policy', async () => {
    const response = await fetch(`${baseUrl}/graphiql`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toBe(GRAPHIQL_CONTENT_SECURITY_POLICY);
    const html = await response.text();
    expect(html).toContain('src="/graphiql/graphiql.js"');
    expect(html).toContain('href="/graphiql/graphiql.css"');
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });

  it('serves the built script and stylesheet with their content types', async () => {
    const script = await fetch(`${baseUrl}/graphiql/graphiql.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const stylesheet = await fetch(`${baseUrl}/graphiql/graphiql.css`);
    expect(stylesheet.status).toBe(200);
    expect(stylesheet.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('answers 404 for any other file under /graphiql', async () => {
    const response = await fetch(`${baseUrl}/graphiql/..%2Fpackage.json`);
    expect(response.status).toBe(404);
  });

  it('renders, runs a query and loads nothing from another host', async () => {
    const result = await checkGraphiqlInBrowser(baseUrl, {
      query: '{ __typename }',
      screenshotPath: '/tmp/graphiql.png',
    });

    expect(result.pageErrors).toEqual([]);
    expect(result.rendered).toBe(true);
    expect(result.outsideRequests).toEqual([]);
    expect(JSON.parse(result.queryResult)).toEqual({ data: { __typename: 'Query' } });
  });

  it('sends the token pasted into the headers editor as a bearer token', async () => {
    const user = await createUser(testApp);
    const result = await checkGraphiqlInBrowser(baseUrl, {
      query: '{ me { email } }',
      token: user.accessToken,
    });

    expect(result.rendered).toBe(true);
    expect(result.outsideRequests).toEqual([]);
    expect(JSON.parse(result.queryResult)).toEqual({ data: { me: { email: user.email } } });
  });

  describe('with a bundle that is missing or references another host', () => {
    let assets: string;
    let other: { app: INestApplication; baseUrl: string };

    beforeAll(async () => {
      assets = await mkdtemp(join(tmpdir(), 'graphiql-assets-'));
      other = await startApp(assets);
    });

    afterAll(async () => {
      await other?.app.close();
      await rm(assets, { recursive: true, force: true });
    });

    it('answers 503 with the build command while the bundle is missing', async () => {
      const response = await fetch(`${other.baseUrl}/graphiql/graphiql.js`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        statusCode: 503,
        message: expect.stringContaining('npm run build:graphiql'),
      });
    });

    it('reports a stylesheet from another host, which the page policy blocks', async () => {
      // Built after the 503 check: a missing file is not cached, so this is picked up.
      await copyFile(join(assetsDir, 'graphiql.js'), join(assets, 'graphiql.js'));
      const css = await readFile(join(assetsDir, 'graphiql.css'), 'utf8');
      await writeFile(
        join(assets, 'graphiql.css'),
        `@import url("https://fonts.example.com/roboto.css");\n${css}`,
      );

      const result = await checkGraphiqlInBrowser(other.baseUrl);

      expect(result.rendered).toBe(true);
      expect(result.outsideRequests).toEqual(['https://fonts.example.com/roboto.css']);
      expect(JSON.parse(result.queryResult)).toEqual({ data: { __typename: 'Query' } });
    });
  });
});
