import type { Money } from '../../src/common/money/money';
import type { Fault } from '../../src/gateways/simulator-kit/faults';
import type {
  ChargeOutcome,
  GatewayReference,
  InitiateRequest,
  PaymentGateway,
  RawWebhook,
} from '../../src/gateways/payment-gateway';
import type { WebhookReceiver } from './webhook-receiver';

/**
 * What one gateway must provide to run the shared contract suite (gateway-contract.ts) against
 * its simulator over real HTTP. Each `<code>.gateway.spec.ts` builds one and calls
 * `runGatewayContract(harness)`.
 */
export interface GatewayHarness {
  /** Starts the gateway's simulator on a free port and builds the real gateway pointed at it. */
  start(receiver: WebhookReceiver): Promise<PaymentGateway>;
  stop(): Promise<void>;
  /** Clears simulator state and faults between tests. */
  reset(): Promise<void>;

  /** A normal amount in a currency the gateway takes. */
  readonly amount: Money;
  /**
   * An initiate request whose customer will pay (`approve`) or be declined (`decline`): test card,
   * test phone number, mock response... chosen the way the real sandbox chooses.
   * `captureMode: 'manual'` only where capabilities.manualCapture.
   */
  request(kind: 'approve' | 'decline', overrides?: Partial<InitiateRequest>): InitiateRequest;
  /**
   * Plays the customer's part after initiate (submit the hosted page, approve at PayPal, enter the
   * M-Pesa PIN, pass 3DS) and, where the gateway needs a server call to finish (PayPal capture of an
   * approved CAPTURE order), nothing more: the suite calls the gateway for that.
   * Resolves once the gateway has committed the customer's choice.
   */
  act(outcome: ChargeOutcome, choice: 'approve' | 'decline'): Promise<void>;
  /**
   * After `act`, what the merchant server must call to complete an automatic-capture payment
   * (PayPal: capture the approved order). Most gateways: return the fetched status.
   */
  complete(gateway: PaymentGateway, outcome: ChargeOutcome): Promise<ChargeOutcome>;
  /** Regular expressions for the gateway's real paths, used to script faults. */
  readonly paths: { readonly refund: string; readonly status: string };
  /** Scripts a fault into the simulator (see src/gateways/simulator-kit/faults.ts). */
  fault(fault: Fault): Promise<void>;
  /** Total refunded on this transaction according to the simulator's record of truth. */
  refundedTotalMinor(reference: GatewayReference): Promise<number>;
  /** Whether this gateway's webhook is signed (false for M-Pesa: verification is by token + re-query). */
  readonly signedWebhooks: boolean;
  /** Returns the same webhook with its body changed by one byte-level edit that keeps it parseable. */
  tamper(webhook: RawWebhook): RawWebhook;
  /** A payout recipient that succeeds, where the gateway has payouts. */
  readonly payoutRecipient?: { phone?: string; email?: string };
}
