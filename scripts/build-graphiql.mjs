// Bundles the GraphiQL page (src/graphiql/web) into public/graphiql so the app serves it itself:
// no CDN, works offline. Fails if the output would make the browser load anything remote.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'public', 'graphiql');

const common = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Any font or image the CSS references is inlined, so nothing is fetched from elsewhere.
  loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl' },
};

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

await build({
  ...common,
  entryPoints: ['src/graphiql/web/index.tsx'],
  outfile: join(outdir, 'graphiql.js'),
  format: 'iife',
  platform: 'browser',
  target: ['chrome115', 'edge115', 'firefox115', 'safari16'],
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
});

// A separate CSS build gives the stylesheet a fixed name (the controller serves it by name).
await build({
  ...common,
  stdin: { contents: "@import 'graphiql/style.css';", resolveDir: root, loader: 'css' },
  outfile: join(outdir, 'graphiql.css'),
});

// CSS: any remote url() or @import is loaded as soon as the page renders.
const remoteCss =
  /(?:url\(\s*['"]?|@import\s+(?:url\(\s*)?['"]?)\s*(?:https?:|wss?:)?\/\/[^'")\s]*/gi;
// JS: only URLs used as load targets count; the bundle also holds XML namespace strings and
// documentation links in messages or anchors, which are never fetched.
const remoteJs =
  /(?:\bfetch\(|\bimport\(|\bimportScripts\(|new\s+(?:Worker|SharedWorker|WebSocket|EventSource)\(|\bsrc\s*[:=]|url\()\s*['"`]?(?:https?:|wss?:)?\/\/[^'"`)\s]+/gi;

const css = await readFile(join(outdir, 'graphiql.css'), 'utf8');
const js = await readFile(join(outdir, 'graphiql.js'), 'utf8');
const hits = [...(css.match(remoteCss) ?? []), ...(js.match(remoteJs) ?? [])];
if (hits.length > 0) {
  console.error('build-graphiql: the bundle would load remote resources:');
  for (const hit of hits) console.error(`  ${hit.slice(0, 200)}`);
  await rm(outdir, { recursive: true, force: true });
  process.exit(1);
}

const kib = (text) => `${Math.round(Buffer.byteLength(text) / 1024)} KiB`;
console.log(`build-graphiql: wrote ${outdir} (graphiql.js ${kib(js)}, graphiql.css ${kib(css)})`);
