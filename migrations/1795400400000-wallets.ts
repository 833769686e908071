import { MigrationInterface, QueryRunner } from 'typeorm';

export class Wallets1795400400000 implements MigrationInterface {
  name = 'Wallets1795400400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`wallet_adjustments\` (\`id\` char(36) NOT NULL, \`wallet_id\` char(36) NOT NULL, \`amount_minor\` bigint NOT NULL, \`currency\` char(3) NOT NULL, \`reason\` varchar(500) NOT NULL, \`status\` varchar(10) NOT NULL, \`proposed_by\` char(36) NOT NULL, \`decided_by\` char(36) NULL, \`decided_at\` datetime(3) NULL, \`decision_note\` varchar(500) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_wallet_adjustments__created_at_id\` (\`created_at\`, \`id\`), INDEX \`idx_wallet_adjustments__wallet_id_created_at\` (\`wallet_id\`, \`created_at\`), INDEX \`idx_wallet_adjustments__status_created_at\` (\`status\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`wallet_holds\` (\`id\` char(36) NOT NULL, \`wallet_id\` char(36) NOT NULL, \`amount_minor\` bigint NOT NULL, \`captured_amount_minor\` bigint NOT NULL DEFAULT '0', \`currency\` char(3) NOT NULL, \`status\` varchar(10) NOT NULL, \`reason\` varchar(200) NULL, \`reference\` varchar(200) NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`captured_to_account_id\` char(36) NULL, \`settled_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_wallet_holds__created_at_id\` (\`created_at\`, \`id\`), INDEX \`idx_wallet_holds__status_expires_at\` (\`status\`, \`expires_at\`), INDEX \`idx_wallet_holds__wallet_id_status_expires_at\` (\`wallet_id\`, \`status\`, \`expires_at\`), UNIQUE INDEX \`uq_wallet_holds__wallet_id_reference\` (\`wallet_id\`, \`reference\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`wallet_transfers\` (\`id\` char(36) NOT NULL, \`from_wallet_id\` char(36) NOT NULL, \`to_wallet_id\` char(36) NOT NULL, \`initiated_by\` char(36) NOT NULL, \`amount_minor\` bigint NOT NULL, \`currency\` char(3) NOT NULL, \`note\` varchar(280) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_wallet_transfers__to_wallet_id_created_at\` (\`to_wallet_id\`, \`created_at\`), INDEX \`idx_wallet_transfers__from_wallet_id_created_at\` (\`from_wallet_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`wallets\` (\`id\` char(36) NOT NULL, \`user_id\` char(36) NOT NULL, \`currency\` char(3) NOT NULL, \`status\` varchar(10) NOT NULL, \`daily_transfer_limit_minor\` bigint NOT NULL, \`max_transfer_minor\` bigint NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_wallets__created_at_id\` (\`created_at\`, \`id\`), UNIQUE INDEX \`uq_wallets__user_id_currency\` (\`user_id\`, \`currency\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`wallets\` ADD CONSTRAINT \`fk_wallets__user_id\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`wallets\` DROP FOREIGN KEY \`fk_wallets__user_id\``);
    await queryRunner.query(`DROP INDEX \`uq_wallets__user_id_currency\` ON \`wallets\``);
    await queryRunner.query(`DROP INDEX \`idx_wallets__created_at_id\` ON \`wallets\``);
    await queryRunner.query(`DROP TABLE \`wallets\``);
    await queryRunner.query(
      `DROP INDEX \`idx_wallet_transfers__from_wallet_id_created_at\` ON \`wallet_transfers\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_wallet_transfers__to_wallet_id_created_at\` ON \`wallet_transfers\``,
    );
    await queryRunner.query(`DROP TABLE \`wallet_transfers\``);
    await queryRunner.query(
      `DROP INDEX \`uq_wallet_holds__wallet_id_reference\` ON \`wallet_holds\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_wallet_holds__wallet_id_status_expires_at\` ON \`wallet_holds\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_wallet_holds__status_expires_at\` ON \`wallet_holds\``,
    );
    await queryRunner.query(`DROP INDEX \`idx_wallet_holds__created_at_id\` ON \`wallet_holds\``);
    await queryRunner.query(`DROP TABLE \`wallet_holds\``);
    await queryRunner.query(
      `DROP INDEX \`idx_wallet_adjustments__status_created_at\` ON \`wallet_adjustments\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_wallet_adjustments__wallet_id_created_at\` ON \`wallet_adjustments\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_wallet_adjustments__created_at_id\` ON \`wallet_adjustments\``,
    );
    await queryRunner.query(`DROP TABLE \`wallet_adjustments\``);
  }
}
