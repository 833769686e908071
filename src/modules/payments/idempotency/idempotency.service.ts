import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { LessThan, Repository } from 'typeorm';
import { DomainError, type ErrorKind } from '../../../common/errors/domain-error';
import { IdempotencyKeyEntity } from '../entities/idempotency-key.entity';
import { PaymentError, PaymentErrorCode } from '../payments.errors';
import { isDuplicateKeyError } from '../../../database/transaction';
import { parseStoredJson, requestFingerprint } from './canonical-json';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

interface StoredOutcome {
  result?: unknown;
  error?: { code: string; kind: ErrorKind; message: string; details: Record<string, unknown> };
}

/**
 * Stripe-style idempotency keys: the first request under a key runs and its outcome (result or
 * domain error) is stored; for 24 h the same key with the same input replays that outcome, with
 * different input is refused, and while the first is still running a duplicate is refused rather
 * than run twice. Validation failures are not stored, so a corrected request may reuse the key.
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);

  constructor(
    @InjectRepository(IdempotencyKeyEntity)
    private readonly keys: Repository<IdempotencyKeyEntity>,
  ) {}

  async run<T>(
    scope: string,
    key: string | undefined | null,
    operation: string,
    input: unknown,
    work: () => Promise<T>,
  ): Promise<T> {
    if (key === undefined || key === null) return work();
    if (!KEY_PATTERN.test(key)) {
      throw new PaymentError(
        PaymentErrorCode.IDEMPOTENCY_KEY_INVALID,
        'An idempotency key is 1 to 255 printable ASCII characters',
      );
    }
    const requestHash = requestFingerprint(operation, input);
    const claimed = await this.claim(scope, key, operation, requestHash);
    if (claimed.replay) return claimed.replay();

    try {
      const result = await work();
      await this.complete(claimed.id, { result });
      return result;
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'bad_input') {
        await this.keys.delete({ id: claimed.id });
      } else if (error instanceof DomainError) {
        await this.complete(claimed.id, {
          error: {
            code: error.code,
            kind: error.kind,
            message: error.message,
            details: error.details,
          },
        });
      } else {
        // The work may have moved money before failing: keep the key, so a retry cannot repeat it.
        this.logger.error(`Idempotent ${operation} failed unexpectedly; key kept`, error as Error);
        await this.complete(claimed.id, {
          error: {
            code: 'INTERNAL_ERROR',
            kind: 'unavailable',
            message:
              'The original request failed unexpectedly; check the resource before retrying with a new key',
            details: {},
          },
        });
      }
      throw error;
    }
  }

  /** Deletes keys past their 24 h. */
  async purgeExpired(now = new Date()): Promise<number> {
    const result = await this.keys.delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }

  private async claim(
    scope: string,
    key: string,
    operation: string,
    requestHash: string,
  ): Promise<{ id: string; replay?: <T>() => Promise<T> }> {
    for (let tries = 0; tries < 3; tries++) {
      const id = randomUUID();
      try {
        await this.keys.insert({
          id,
          scope,
          idempotencyKey: key,
          operation,
          requestHash,
          status: 'IN_PROGRESS',
          response: null,
          expiresAt: new Date(Date.now() + IDEMPOTENCY_TTL_MS),
        });
        return { id };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const existing = await this.keys.findOneBy({ scope, idempotencyKey: key });
      if (!existing) continue; // purged between our insert and read: try again
      if (existing.expiresAt.getTime() <= Date.now()) {
        await this.keys.delete({ id: existing.id, expiresAt: existing.expiresAt });
        continue;
      }
      if (existing.operation !== operation || existing.requestHash !== requestHash) {
        throw new PaymentError(
          PaymentErrorCode.IDEMPOTENCY_KEY_MISMATCH,
          `Idempotency key "${key}" was already used for a different request (${existing.operation}); use a new key`,
        );
      }
      if (existing.status === 'IN_PROGRESS' || existing.response === null) {
        throw new PaymentError(
          PaymentErrorCode.IDEMPOTENCY_REQUEST_IN_PROGRESS,
          `A request with idempotency key "${key}" is still being processed; retry shortly`,
        );
      }
      const stored = parseStoredJson<StoredOutcome>(existing.response);
      return {
        id: existing.id,
        replay: <T>() => {
          if (stored.error) {
            const { code, kind, message, details } = stored.error;
            return Promise.reject(
              new DomainError(code, kind, message, { ...details, replayed: true }),
            );
          }
          return Promise.resolve(stored.result as T);
        },
      };
    }
    throw new PaymentError(
      PaymentErrorCode.IDEMPOTENCY_REQUEST_IN_PROGRESS,
      `Idempotency key "${key}" is contended; retry shortly`,
    );
  }

  private async complete(id: string, outcome: StoredOutcome): Promise<void> {
    await this.keys.update({ id }, { status: 'COMPLETED', response: JSON.stringify(outcome) });
  }
}
