import { MigrationInterface, QueryRunner } from 'typeorm';

export class VirtualCards1795400500000 implements MigrationInterface {
  name = 'VirtualCards1795400500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`card_authorizations\` (\`id\` char(36) NOT NULL, \`network_authorization_id\` varchar(100) NOT NULL, \`request_hash\` char(64) NOT NULL, \`card_id\` char(36) NULL, \`wallet_id\` char(36) NULL, \`amount_minor\` bigint NOT NULL, \`currency\` char(3) NOT NULL, \`status\` varchar(10) NOT NULL, \`decline_code\` varchar(40) NULL, \`authorization_code\` char(6) NULL, \`hold_id\` char(36) NULL, \`captured_minor\` bigint NOT NULL DEFAULT '0', \`merchant_name\` varchar(100) NOT NULL, \`merchant_category_code\` char(4) NOT NULL, \`merchant_country\` char(2) NOT NULL, \`settled_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_card_authorizations__created_at_id\` (\`created_at\`, \`id\`), INDEX \`idx_card_authorizations__card_id_created_at\` (\`card_id\`, \`created_at\`), UNIQUE INDEX \`uq_card_authorizations__network_authorization_id\` (\`network_authorization_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`virtual_cards\` (\`id\` char(36) NOT NULL, \`wallet_id\` char(36) NOT NULL, \`user_id\` char(36) NOT NULL, \`currency\` char(3) NOT NULL, \`brand\` varchar(20) NOT NULL, \`number_encrypted\` varchar(255) NOT NULL, \`pan_fingerprint\` char(64) NOT NULL, \`last4\` char(4) NOT NULL, \`exp_month\` tinyint UNSIGNED NOT NULL, \`exp_year\` smallint UNSIGNED NOT NULL, \`status\` varchar(10) NOT NULL, \`frozen_by_staff\` tinyint NOT NULL DEFAULT 0, \`per_transaction_limit_minor\` bigint NULL, \`daily_limit_minor\` bigint NULL, \`label\` varchar(100) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`closed_at\` datetime(3) NULL, INDEX \`idx_virtual_cards__created_at_id\` (\`created_at\`, \`id\`), INDEX \`idx_virtual_cards__wallet_id_created_at\` (\`wallet_id\`, \`created_at\`), UNIQUE INDEX \`uq_virtual_cards__pan_fingerprint\` (\`pan_fingerprint\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`virtual_cards\` ADD CONSTRAINT \`fk_virtual_cards__wallet_id\` FOREIGN KEY (\`wallet_id\`) REFERENCES \`wallets\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`virtual_cards\` DROP FOREIGN KEY \`fk_virtual_cards__wallet_id\``,
    );
    await queryRunner.query(
      `DROP INDEX \`uq_virtual_cards__pan_fingerprint\` ON \`virtual_cards\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_virtual_cards__wallet_id_created_at\` ON \`virtual_cards\``,
    );
    await queryRunner.query(`DROP INDEX \`idx_virtual_cards__created_at_id\` ON \`virtual_cards\``);
    await queryRunner.query(`DROP TABLE \`virtual_cards\``);
    await queryRunner.query(
      `DROP INDEX \`uq_card_authorizations__network_authorization_id\` ON \`card_authorizations\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_card_authorizations__card_id_created_at\` ON \`card_authorizations\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_card_authorizations__created_at_id\` ON \`card_authorizations\``,
    );
    await queryRunner.query(`DROP TABLE \`card_authorizations\``);
  }
}
