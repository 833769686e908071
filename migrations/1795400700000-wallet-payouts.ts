import { MigrationInterface, QueryRunner } from 'typeorm';

export class WalletPayouts1795400700000 implements MigrationInterface {
  name = 'WalletPayouts1795400700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`wallet_payouts\` (\`id\` char(36) NOT NULL, \`wallet_id\` char(36) NOT NULL, \`user_id\` char(36) NOT NULL, \`gateway_code\` varchar(16) NOT NULL, \`amount_minor\` bigint NOT NULL, \`currency\` char(3) NOT NULL, \`recipient\` varchar(254) NOT NULL, \`note\` varchar(280) NULL, \`status\` varchar(12) NOT NULL, \`hold_id\` char(36) NOT NULL, \`gateway_reference_id\` varchar(128) NULL, \`gateway_reference\` text NULL, \`failure_code\` varchar(64) NULL, \`failure_message\` varchar(255) NULL, \`reconcile_attempts\` smallint UNSIGNED NOT NULL DEFAULT '0', \`next_reconcile_at\` datetime(3) NULL, \`needs_review\` tinyint NOT NULL DEFAULT 0, \`review_reason\` varchar(255) NULL, \`settled_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_wallet_payouts__gateway_reference\` (\`gateway_code\`, \`gateway_reference_id\`), INDEX \`idx_wallet_payouts__status_next_reconcile_at\` (\`status\`, \`next_reconcile_at\`), INDEX \`idx_wallet_payouts__created_at_id\` (\`created_at\`, \`id\`), INDEX \`idx_wallet_payouts__user_id_created_at\` (\`user_id\`, \`created_at\`), INDEX \`idx_wallet_payouts__wallet_id_created_at\` (\`wallet_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP INDEX \`idx_wallet_payouts__wallet_id_created_at\` ON \`wallet_payouts\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_wallet_payouts__user_id_created_at\` ON \`wallet_payouts\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_wallet_payouts__created_at_id\` ON \`wallet_payouts\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_wallet_payouts__status_next_reconcile_at\` ON \`wallet_payouts\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_wallet_payouts__gateway_reference\` ON \`wallet_payouts\``,
    );
    await queryRunner.query(`DROP TABLE \`wallet_payouts\``);
  }
}
