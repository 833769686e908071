import {
  DEFAULT_RETRY_SCHEDULE_SECONDS,
  maxAttempts,
  parseRetrySchedule,
  retryDelayMs,
} from './retry-schedule';

describe('retry schedule', () => {
  it('spans about three days over ten attempts by default', () => {
    const totalHours = DEFAULT_RETRY_SCHEDULE_SECONDS.reduce((sum, s) => sum + s, 0) / 3600;
    expect(maxAttempts(DEFAULT_RETRY_SCHEDULE_SECONDS)).toBe(10);
    expect(totalHours).toBeGreaterThan(60);
    expect(totalHours).toBeLessThan(80);
    expect(DEFAULT_RETRY_SCHEDULE_SECONDS.slice(0, 3)).toEqual([60, 300, 1800]);
  });

  it('waits the scheduled time after each failure, then gives up', () => {
    const middle = () => 0.5; // no jitter
    expect(retryDelayMs(1, [1, 5, 30], middle)).toBe(1_000);
    expect(retryDelayMs(2, [1, 5, 30], middle)).toBe(5_000);
    expect(retryDelayMs(3, [1, 5, 30], middle)).toBe(30_000);
    expect(retryDelayMs(4, [1, 5, 30], middle)).toBeNull();
    expect(retryDelayMs(1, [], middle)).toBeNull();
    expect(retryDelayMs(0, [1], middle)).toBeNull();
  });

  it('spreads each wait by at most ten percent either way', () => {
    expect(retryDelayMs(1, [60], () => 0)).toBe(54_000);
    expect(retryDelayMs(1, [60], () => 0.999_999)).toBe(66_000);
    for (let i = 0; i < 200; i++) {
      const delay = retryDelayMs(1, [60])!;
      expect(delay).toBeGreaterThanOrEqual(54_000);
      expect(delay).toBeLessThanOrEqual(66_000);
    }
  });

  it('parses a comma list of seconds and refuses anything else', () => {
    expect(parseRetrySchedule('1,1')).toEqual([1, 1]);
    expect(parseRetrySchedule(' 60 , 300,1800 ')).toEqual([60, 300, 1800]);
    expect(parseRetrySchedule('')).toEqual([]);
    expect(() => parseRetrySchedule('1,2.5')).toThrow('not a whole number');
    expect(() => parseRetrySchedule('1,-2')).toThrow('not a whole number');
    expect(() => parseRetrySchedule('1m')).toThrow('not a whole number');
  });
});
