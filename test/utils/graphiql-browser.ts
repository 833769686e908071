import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface GraphiqlBrowserOptions {
  /** Sent as `Authorization: Bearer <token>` through GraphiQL's headers editor. */
  token?: string;
  /** Defaults to `{ __typename }`, which every schema answers. */
  query?: string;
  /** Saves a full-page screenshot after the result shows. */
  screenshotPath?: string;
  timeoutMs?: number;
}

export interface GraphiqlBrowserResult {
  rendered: boolean;
  /** Requests (or CSP-blocked loads) to any host other than baseUrl's. */
  outsideRequests: string[];
  queryResult: string;
  /** Console errors and uncaught page errors, to explain a failure. */
  pageErrors: string[];
}

const QUERY_EDITOR = '.graphiql-query-editor .CodeMirror';
const RESPONSE_EDITOR = '.graphiql-response .CodeMirror';

/** Opens `${baseUrl}/graphiql` in headless Chromium, runs one query and reports what happened. */
export async function checkGraphiqlInBrowser(
  baseUrl: string,
  opts: GraphiqlBrowserOptions = {},
): Promise<GraphiqlBrowserResult> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `GraphiQL browser check needs Chromium at ${CHROMIUM_PATH}: install it with ` +
        '`apt-get install -y chromium` (Debian package).',
    );
  }
  const { host } = new URL(baseUrl);
  const timeout = opts.timeoutMs ?? 20_000;
  const outsideRequests = new Set<string>();
  const pageErrors: string[] = [];
  const userDataDir = await mkdtemp(join(tmpdir(), 'graphiql-chromium-'));

  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  try {
    const isOutside = (url: string): boolean => {
      const parsed = new URL(url);
      // data:, blob: and about: never leave the page.
      if (['data:', 'blob:', 'about:'].includes(parsed.protocol)) return false;
      return parsed.host !== host;
    };
    context.on('request', (request) => {
      if (isOutside(request.url())) outsideRequests.add(request.url());
    });
    // Abort instead of letting an outside load hang or leave the machine.
    await context.route('**/*', (route) =>
      isOutside(route.request().url()) ? route.abort() : route.continue(),
    );

    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      pageErrors.push(message.text());
      // The CSP blocks an outside load before any request event; the console still names it.
      if (/Refused to (?:load|connect|execute|apply|frame)/.test(message.text())) {
        for (const url of message.text().match(/(?:https?|wss?):\/\/[^\s'"]+/g) ?? []) {
          if (isOutside(url)) outsideRequests.add(url);
        }
      }
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${baseUrl}/graphiql`, { waitUntil: 'load', timeout });
    const rendered = await page
      .locator(QUERY_EDITOR)
      .first()
      .waitFor({ state: 'visible', timeout })
      .then(() => true)
      .catch(() => false);
    if (!rendered) {
      return { rendered, outsideRequests: [...outsideRequests], queryResult: '', pageErrors };
    }

    if (opts.token !== undefined) await setHeaders(page, { Authorization: `Bearer ${opts.token}` });
    await typeQuery(page, opts.query ?? '{ __typename }');
    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction(
      (selector) =>
        (
          (document.querySelector(selector) as CodeMirrorElement | null)?.CodeMirror?.getValue() ??
          ''
        ).trim().length > 0,
      RESPONSE_EDITOR,
      { timeout },
    );
    const queryResult = await readEditor(page, RESPONSE_EDITOR);
    if (opts.screenshotPath) await page.screenshot({ path: opts.screenshotPath, fullPage: true });

    return { rendered, outsideRequests: [...outsideRequests], queryResult, pageErrors };
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

interface CodeMirrorElement extends Element {
  CodeMirror?: { getValue(): string; setValue(value: string): void };
}

// CodeMirror 5 hangs its instance on the .CodeMirror element; its DOM only holds visible lines.
const readEditor = (page: Page, selector: string): Promise<string> =>
  page.evaluate(
    (sel) =>
      (document.querySelector(sel) as CodeMirrorElement | null)?.CodeMirror?.getValue() ?? '',
    selector,
  );

async function typeQuery(page: Page, query: string): Promise<void> {
  const editor = page.locator(QUERY_EDITOR).first();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // insertText skips per-key auto-closing of brackets and autocomplete popups.
  await page.keyboard.insertText(query);
  const typed = await readEditor(page, QUERY_EDITOR);
  if (typed.trim() !== query.trim()) {
    throw new Error(`GraphiQL query editor holds ${JSON.stringify(typed)}, not the typed query`);
  }
}

async function setHeaders(page: Page, headers: Record<string, string>): Promise<void> {
  await page.getByRole('button', { name: 'Headers' }).click();
  const editor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
  await editor.first().waitFor({ state: 'visible' });
  await editor.first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(JSON.stringify(headers));
}
