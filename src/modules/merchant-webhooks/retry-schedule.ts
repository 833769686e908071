/**
 * Seconds before each retry of a failed delivery: 1m, 5m, 30m, 2h, 5h, 10h, 10h, 14h, 20h.
 * With the first try that is ten attempts over about two and a half to three days.
 */
export const DEFAULT_RETRY_SCHEDULE_SECONDS: readonly number[] = [
  60, 300, 1_800, 7_200, 18_000, 36_000, 36_000, 50_400, 72_000,
];

/** Spread of each wait, so endpoints that failed together do not all retry in the same second. */
export const RETRY_JITTER_RATIO = 0.1;

/** Parses `MERCHANT_WEBHOOK_RETRY_SCHEDULE` ("60,300,1800"); an empty list means no retries. */
export function parseRetrySchedule(value: string): number[] {
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  return parts.map((part) => {
    const seconds = Number(part);
    if (!/^\d+$/.test(part) || !Number.isSafeInteger(seconds)) {
      throw new Error(`Retry schedule entry "${part}" is not a whole number of seconds`);
    }
    return seconds;
  });
}

/**
 * How long to wait after the `failedAttempts`-th failed attempt of the current round, in ms, or
 * null when the schedule is used up and the delivery should be given up.
 */
export function retryDelayMs(
  failedAttempts: number,
  schedule: readonly number[],
  random: () => number = Math.random,
): number | null {
  const seconds = schedule[failedAttempts - 1];
  if (failedAttempts < 1 || seconds === undefined) return null;
  const jitter = 1 + RETRY_JITTER_RATIO * (2 * random() - 1);
  return Math.round(seconds * 1_000 * jitter);
}

/** Total attempts a delivery gets in one round: the first try plus one per schedule entry. */
export const maxAttempts = (schedule: readonly number[]): number => schedule.length + 1;
