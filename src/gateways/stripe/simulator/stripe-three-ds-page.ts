import { escapeHtml } from '../../simulator-kit/simulator-server';

export interface ThreeDsPageInput {
  readonly paymentIntentId: string;
  readonly amount: number;
  readonly currency: string;
  readonly last4: string;
  readonly actionPath: string;
}

/** A self-contained challenge page (no external assets) so it works in an offline browser. */
export function renderThreeDsPage(input: ThreeDsPageInput): string {
  const id = escapeHtml(input.paymentIntentId);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>3D Secure 2 Test Page</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; }
.box { border: 1px solid #ccd; border-radius: 8px; padding: 1.5rem; }
button { font-size: 1rem; padding: .6rem 1.2rem; margin-right: .5rem; border-radius: 6px; border: 1px solid #888; cursor: pointer; }
button[value=complete] { background: #635bff; color: #fff; border-color: #635bff; }
</style>
</head>
<body>
<div class="box">
<h1>3D Secure 2 Test Page</h1>
<p>This is a simulated Stripe test-mode authentication for <strong>${id}</strong>.</p>
<p>Amount: <strong>${input.amount} ${escapeHtml(input.currency.toUpperCase())}</strong> (minor units),
card ending <strong>${escapeHtml(input.last4)}</strong>.</p>
<form method="post" action="${escapeHtml(input.actionPath)}">
<button type="submit" name="outcome" value="complete" id="complete">Complete</button>
<button type="submit" name="outcome" value="fail" id="fail">Fail</button>
</form>
</div>
</body>
</html>
`;
}

export function renderThreeDsDonePage(paymentIntentId: string, outcome: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authentication ${escapeHtml(outcome)}</title></head>
<body><p>Authentication for ${escapeHtml(paymentIntentId)}: ${escapeHtml(outcome)}. You may close this window.</p></body>
</html>
`;
}
