import { escapeHtml } from '../../simulator-kit/simulator-server';
import { toPaypalValue } from '../paypal.mapper';
import type { SimOrder } from './paypal-simulator.state';

// Plain HTML forms, no scripts or external assets: works in any browser offline.
export function approvalPage(order: SimOrder): string {
  const amount = `${toPaypalValue(order.amount)} ${order.amount.currency}`;
  const button = (choice: string, label: string, hint: string): string =>
    `<form method="post" action="/checkoutnow/${encodeURIComponent(order.id)}">` +
    `<input type="hidden" name="choice" value="${choice}"><button type="submit" name="action" value="${choice}">${label}</button>` +
    ` <small>${hint}</small></form>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PayPal simulator - approve payment</title>
<style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto}form{margin:.75rem 0}button{min-width:9rem;padding:.5rem}</style>
</head><body>
<h1>${escapeHtml(order.brandName ?? 'Merchant')}</h1>
<p>Order <code>${escapeHtml(order.id)}</code> (${order.intent}) asks for <strong>${escapeHtml(amount)}</strong>.</p>
${order.description ? `<p>${escapeHtml(order.description)}</p>` : ''}
${button('approve', 'Approve', 'pay with a funding source that succeeds')}
${button('decline', 'Decline', 'pay with a funding source that will be refused at capture')}
${button('pending', 'Pay by eCheck', 'capture stays PENDING until settled')}
${button('cancel', 'Cancel', 'return to the merchant without paying')}
</body></html>`;
}

export function messagePage(title: string, message: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`
  );
}
