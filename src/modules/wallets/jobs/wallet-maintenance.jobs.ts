import type { JobOptions } from 'bull';

/** Repeatable wallet sweeps (expired holds). */
export const WALLET_MAINTENANCE_QUEUE = 'wallet-maintenance';

export enum WalletMaintenanceJob {
  ReleaseExpiredHolds = 'release-expired-holds',
  /** Asks the gateways about open withdrawals (payouts/wallet-payouts.processor.ts). */
  ReconcilePayouts = 'reconcile-wallet-payouts',
}

/** The sweep is idempotent: a failed run is tried once more, then superseded by the next run. */
export const WALLET_SWEEP_JOB_OPTIONS: JobOptions = {
  attempts: 2,
  backoff: { type: 'fixed', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: 100,
};
