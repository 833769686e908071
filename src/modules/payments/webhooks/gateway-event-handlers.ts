import { Injectable } from '@nestjs/common';
import type { GatewayEvent } from '../../../gateways/payment-gateway';

/** What a handler did with an event; the inbox row records it. */
export interface GatewayEventHandling {
  readonly status: 'PROCESSED' | 'IGNORED';
  /** Why, when ignored (kept in the row's `lastError` column). */
  readonly note?: string | null;
}

/** Applies one stored gateway event. Throwing makes the inbox job retry with backoff. */
export type GatewayEventHandler = (event: GatewayEvent) => Promise<GatewayEventHandling>;

/**
 * Gateway events the payments module has no built-in handler for (payout.*, dispute.*) go to the
 * module that registered their type prefix, so payments never imports those modules (they import
 * payments). Register in `onModuleInit`: the inbox processor may run as soon as the app starts.
 */
@Injectable()
export class GatewayEventHandlers {
  private readonly handlers = new Map<string, GatewayEventHandler>();

  /** One handler per prefix, e.g. `payout.`; a second registration is a wiring mistake. */
  register(prefix: string, handler: GatewayEventHandler): void {
    if (!prefix) throw new Error('A gateway event handler needs a type prefix');
    if (this.handlers.has(prefix)) {
      throw new Error(`A handler for "${prefix}" gateway events is already registered`);
    }
    this.handlers.set(prefix, handler);
  }

  /** The handler with the longest prefix of this event type, if any. */
  handlerFor(type: string): GatewayEventHandler | undefined {
    let best: { prefix: string; handler: GatewayEventHandler } | undefined;
    for (const [prefix, handler] of this.handlers) {
      if (type.startsWith(prefix) && (!best || prefix.length > best.prefix.length)) {
        best = { prefix, handler };
      }
    }
    return best?.handler;
  }
}
