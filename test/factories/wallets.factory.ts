import type { TestApp } from '../utils/create-test-app';
import type { TestUser } from './users.factory';

const PROPOSE = `mutation($input: ProposeWalletAdjustmentInput!) {
  proposeWalletAdjustment(input: $input) { id }
}`;
const APPROVE = `mutation($id: ID!) { approveWalletAdjustment(id: $id) { id } }`;

/**
 * Funds a wallet the only way money enters one without a gateway: an adjustment one admin
 * proposes and a second admin approves (over GraphQL, as staff would).
 */
export async function fundWallet(
  t: TestApp,
  walletId: string,
  amountMinor: number,
  proposer: TestUser,
  approver: TestUser,
): Promise<void> {
  const { proposeWalletAdjustment } = await t.gql.ok<{ proposeWalletAdjustment: { id: string } }>(
    PROPOSE,
    { input: { walletId, amountMinor, reason: 'test funding' } },
    proposer.accessToken,
  );
  await t.gql.ok(APPROVE, { id: proposeWalletAdjustment.id }, approver.accessToken);
}
