import {
  EVENT_TYPE_FILTER_PATTERN,
  matchesEventType,
  normaliseEventTypes,
} from './event-type-filter';

describe('event type filters', () => {
  it('sends everything when the filter is empty or *', () => {
    expect(matchesEventType([], 'payment.captured')).toBe(true);
    expect(matchesEventType(['*'], 'refund.succeeded')).toBe(true);
  });

  it('matches exact types and families, nothing else', () => {
    expect(matchesEventType(['payment.captured'], 'payment.captured')).toBe(true);
    expect(matchesEventType(['payment.captured'], 'payment.failed')).toBe(false);
    expect(matchesEventType(['payment.*'], 'payment.failed')).toBe(true);
    expect(matchesEventType(['payment.*'], 'payments.failed')).toBe(false);
    expect(matchesEventType(['order.*', 'refund.succeeded'], 'refund.succeeded')).toBe(true);
  });

  it('accepts only well-formed filters', () => {
    for (const good of ['*', 'payment.*', 'payment.captured', 'order.paid_out'])
      expect(EVENT_TYPE_FILTER_PATTERN.test(good)).toBe(true);
    for (const bad of ['', 'Payment.captured', 'payment.', '*.captured', 'payment captured'])
      expect(EVENT_TYPE_FILTER_PATTERN.test(bad)).toBe(false);
  });

  it('trims and de-duplicates', () => {
    expect(normaliseEventTypes([' payment.* ', 'payment.*', '', 'order.paid'])).toEqual([
      'payment.*',
      'order.paid',
    ]);
    expect(normaliseEventTypes(undefined)).toEqual([]);
  });
});
