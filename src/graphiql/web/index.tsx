import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

// Same origin, so the page works behind any host name and needs only connect-src 'self'.
const baseFetcher = createGraphiQLFetcher({
  url: new URL('/graphql', window.location.origin).href,
});

// Lets people paste a bare token as the Authorization value; a blank one is dropped so the
// request stays anonymous instead of failing authentication.
function normalizeHeaders(
  headers: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!headers) return headers;
  const normalized: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'authorization' || typeof value !== 'string') {
      normalized[name] = value;
      continue;
    }
    const trimmed = value.trim();
    if (trimmed === '' || /^bearer$/i.test(trimmed)) continue;
    normalized[name] = trimmed.includes(' ') ? trimmed : `Bearer ${trimmed}`;
  }
  return normalized;
}

const fetcher: Fetcher = (params, opts) =>
  baseFetcher(params, { ...opts, headers: normalizeHeaders(opts?.headers) });

const container = document.getElementById('graphiql');
if (!container) throw new Error('GraphiQL: missing #graphiql element');

createRoot(container).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultEditorToolsVisibility={false} />
  </StrictMode>,
);
