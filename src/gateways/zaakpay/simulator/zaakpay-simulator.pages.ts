import { escapeHtml } from '../../simulator-kit/simulator-server';

// Offline HTML for the simulated hosted checkout: no external assets, works from file or localhost.

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f6fb;margin:0;padding:2rem}
main{max-width:26rem;margin:auto;background:#fff;border-radius:8px;padding:1.5rem;box-shadow:0 2px 8px #0002}
h1{font-size:1.2rem;margin-top:0}dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem}
dt{color:#667}button{display:block;width:100%;margin:.5rem 0;padding:.7rem;border:0;border-radius:6px;font-size:1rem;cursor:pointer}
.pay{background:#1a7f37;color:#fff}.fail{background:#cf222e;color:#fff}.abandon{background:#ddd}
small{color:#667}`;

function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<style>${STYLE}</style></head><body><main>${body}</main></body></html>`
  );
}

export function rupees(paisa: number): string {
  const whole = Math.floor(paisa / 100);
  const fraction = String(paisa % 100).padStart(2, '0');
  return `₹${whole}.${fraction}`;
}

export interface CheckoutPageModel {
  readonly orderId: string;
  readonly amountMinor: number;
  readonly productDescription?: string;
  readonly buyerEmail?: string;
  readonly choiceUrl: string;
}

/** The buyer's page: Pay / Fail / Abandon, each a plain form POST (no script needed). */
export function checkoutPage(model: CheckoutPageModel): string {
  const button = (outcome: string, label: string) =>
    `<button class="${outcome}" type="submit" name="outcome" value="${outcome}">${escapeHtml(label)}</button>`;
  return page(
    'Zaakpay (simulated) checkout',
    `<h1>Zaakpay checkout <small>(simulator)</small></h1><dl>` +
      `<dt>Order</dt><dd id="orderId">${escapeHtml(model.orderId)}</dd>` +
      `<dt>Amount</dt><dd id="amount">${rupees(model.amountMinor)}</dd>` +
      `<dt>For</dt><dd>${escapeHtml(model.productDescription ?? '')}</dd>` +
      `<dt>Buyer</dt><dd>${escapeHtml(model.buyerEmail ?? '')}</dd></dl>` +
      `<form id="choice" method="post" action="${escapeHtml(model.choiceUrl)}">` +
      button('pay', 'Pay (test Visa ending 1112)') +
      button('fail', 'Fail (bank declines)') +
      button('abandon', 'Abandon (cancel and return)') +
      `</form><small>Amounts ending in paisa 01–05 force an outcome when paying; see README.</small>`,
  );
}

/** Auto-submitting POST to the merchant's returnUrl, like Zaakpay's redirect. */
export function autoPostPage(
  action: string,
  fields: Readonly<Record<string, string>>,
  notice: string,
): string {
  const inputs = Object.entries(fields)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('');
  return page(
    'Returning to merchant',
    `<p>${escapeHtml(notice)}</p><form id="return" method="post" action="${escapeHtml(action)}">${inputs}` +
      `<noscript><button type="submit">Continue</button></noscript></form>` +
      `<script>document.getElementById('return').submit()</script>`,
  );
}

export function errorPage(responseCode: string, description: string): string {
  return page(
    'Zaakpay error',
    `<h1>Transaction refused</h1><p>responseCode <b id="responseCode">${escapeHtml(responseCode)}</b>: ` +
      `${escapeHtml(description)}</p>`,
  );
}
