import type { ChargeOutcome } from '../../payment-gateway';
import type { BuyerChoice } from './paypal-simulator.state';

/** Plays the buyer on the simulator's approval page like a browser: load it, submit one button. */
export async function playPaypalBuyer(
  outcome: ChargeOutcome,
  choice: BuyerChoice,
): Promise<Response> {
  if (outcome.status !== 'requires_action' || outcome.nextAction.type !== 'approval') {
    throw new Error(`expected an approval next action, got ${outcome.status}`);
  }
  const page = await fetch(outcome.nextAction.url);
  if (page.status !== 200) throw new Error(`approval page answered ${page.status}`);
  const form = /<form method="post" action="([^"]+)"/.exec(await page.text())?.[1];
  if (!form) throw new Error('approval page has no form');
  const submitted = await fetch(new URL(form, outcome.nextAction.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ choice }).toString(),
    redirect: 'manual',
  });
  if (submitted.status !== 302 && submitted.status !== 200)
    throw new Error(`approval form answered ${submitted.status}`);
  return submitted;
}
