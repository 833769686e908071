import type { ChargeOutcome } from '../../payment-gateway';
import type { BuyerChoice } from './zaakpay.simulator';

export interface BuyerResult {
  /** The hosted page's HTML (or the error page when Zaakpay refused the request). */
  readonly checkoutHtml: string;
  /** The auto-post page back to returnUrl, once a button was pressed. */
  readonly returnHtml?: string;
  /** The fields the browser would POST to returnUrl. */
  readonly returnFields?: Record<string, string>;
}

function hiddenFields(pageHtml: string): Record<string, string> {
  const unescape = (value: string) =>
    value.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  const fields: Record<string, string> = {};
  for (const match of pageHtml.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescape(match[1])] = unescape(match[2]);
  }
  return fields;
}

/** Plays the buyer's browser: posts the checkout form, then presses Pay, Fail or Abandon. */
export async function submitCheckout(
  outcome: ChargeOutcome,
  button: BuyerChoice | undefined,
  fieldOverrides: Readonly<Record<string, string>> = {},
): Promise<BuyerResult> {
  if (outcome.status !== 'requires_action' || outcome.nextAction.type !== 'form_post') {
    throw new Error(`expected a form_post action, got ${outcome.status}`);
  }
  const { url, fields } = outcome.nextAction;
  const page = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, ...fieldOverrides }).toString(),
  });
  const checkoutHtml = await page.text();
  if (!button) return { checkoutHtml };
  const action = /<form id="choice" method="post" action="([^"]+)"/.exec(checkoutHtml)?.[1];
  if (!action) throw new Error(`checkout page has no choice form: ${checkoutHtml.slice(0, 300)}`);
  const chosen = await fetch(
    new URL(
      action.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))),
      url,
    ),
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ outcome: button }).toString(),
    },
  );
  const returnHtml = await chosen.text();
  if (chosen.status !== 200) throw new Error(`choice refused: ${chosen.status} ${returnHtml}`);
  return { checkoutHtml, returnHtml, returnFields: hiddenFields(returnHtml) };
}
