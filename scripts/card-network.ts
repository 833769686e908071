/**
 * Plays the card network against a running Payrail: signs and sends an authorization, a capture or
 * a reversal, and prints the answer. For trying virtual cards by hand (the e2e tests do the same).
 *
 *   npm run card-network -- authorize --card 4899991234567890 --exp 11/2029 --cvv 123 --amount 1250 --currency USD
 *   npm run card-network -- capture --id <authorization id> --amount 1000
 *   npm run card-network -- reverse --id <authorization id>
 *
 * Options: --url (default PUBLIC_URL or http://127.0.0.1:3000), --merchant "Corner Cafe", --mcc 5814.
 * The secret is CARD_NETWORK_SECRET, or the development demo secret outside production.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { readCardsConfig } from '../src/modules/cards/cards.config';
import {
  NETWORK_SIGNATURE_HEADER,
  networkSignatureHeader,
} from '../src/modules/cards/network-signature';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      id: { type: 'string' },
      card: { type: 'string' },
      exp: { type: 'string' },
      cvv: { type: 'string' },
      amount: { type: 'string' },
      currency: { type: 'string', default: 'USD' },
      merchant: { type: 'string', default: 'Corner Cafe' },
      mcc: { type: 'string', default: '5814' },
      country: { type: 'string', default: 'US' },
    },
  });
  const command = positionals[0];
  const base = (values.url ?? process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000').replace(
    /\/+$/,
    '',
  );
  const { networkSecret } = readCardsConfig({ APP_PROFILE: 'development', ...process.env });
  const amountMinor = values.amount === undefined ? undefined : Number(values.amount);

  let path: string;
  let body: Record<string, unknown>;
  switch (command) {
    case 'authorize': {
      const [month, year] = (values.exp ?? '').split('/');
      if (!values.card || !month || !year || amountMinor === undefined) {
        throw new Error('authorize needs --card, --exp MM/YYYY and --amount');
      }
      body = {
        id: values.id ?? `auth_${randomUUID()}`,
        cardNumber: values.card,
        expMonth: Number(month),
        expYear: Number(year.length === 2 ? `20${year}` : year),
        ...(values.cvv ? { cvv: values.cvv } : {}),
        amountMinor,
        currency: values.currency,
        merchant: { name: values.merchant, categoryCode: values.mcc, country: values.country },
      };
      path = '/card-network/authorizations';
      break;
    }
    case 'capture':
      if (!values.id || amountMinor === undefined)
        throw new Error('capture needs --id and --amount');
      body = { amountMinor };
      path = `/card-network/authorizations/${encodeURIComponent(values.id)}/capture`;
      break;
    case 'reverse':
      if (!values.id) throw new Error('reverse needs --id');
      body = {};
      path = `/card-network/authorizations/${encodeURIComponent(values.id)}/reversal`;
      break;
    default:
      throw new Error(
        'usage: card-network authorize|capture|reverse [options] (see the file header)',
      );
  }
  const raw = JSON.stringify(body);
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [NETWORK_SIGNATURE_HEADER]: networkSignatureHeader(
        networkSecret,
        Math.floor(Date.now() / 1000),
        raw,
        path,
      ),
    },
    body: raw,
  });
  const answer: unknown = await response.json().catch(() => null);
  process.stdout.write(`HTTP ${response.status}\n${JSON.stringify(answer, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
