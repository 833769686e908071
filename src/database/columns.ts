import { CreateDateColumn, UpdateDateColumn, type ValueTransformer } from 'typeorm';

// DATETIME(3) in UTC with a matching default, so generated migrations show no spurious diffs.
const MS_TIMESTAMP = {
  type: 'datetime',
  precision: 3,
  default: () => 'CURRENT_TIMESTAMP(3)',
} as const;

export const CreatedAtColumn = (): PropertyDecorator => CreateDateColumn(MS_TIMESTAMP);
export const UpdatedAtColumn = (): PropertyDecorator =>
  UpdateDateColumn({ ...MS_TIMESTAMP, onUpdate: 'CURRENT_TIMESTAMP(3)' });

/** BIGINT minor units <-> JS number, refusing anything beyond 2^53 rather than rounding it. */
export const bigintMinorUnits: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => {
    if (value === null || value === undefined) return value;
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed))
      throw new Error(`BIGINT ${value} exceeds the safe integer range`);
    return parsed;
  },
};
