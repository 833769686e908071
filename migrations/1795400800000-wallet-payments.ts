import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Payments from a wallet (WALLET_BALANCE) and payments that top a wallet up. */
export class WalletPayments1795400800000 implements MigrationInterface {
  name = 'WalletPayments1795400800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`payments\` ADD \`payer_wallet_id\` char(36) NULL`);
    await queryRunner.query(`ALTER TABLE \`payments\` ADD \`top_up_wallet_id\` char(36) NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`payments\` DROP COLUMN \`top_up_wallet_id\``);
    await queryRunner.query(`ALTER TABLE \`payments\` DROP COLUMN \`payer_wallet_id\``);
  }
}
