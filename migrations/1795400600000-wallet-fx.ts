import { MigrationInterface, QueryRunner } from 'typeorm';

export class WalletFx1795400600000 implements MigrationInterface {
  name = 'WalletFx1795400600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`fx_rates\` (\`id\` char(36) NOT NULL, \`base_currency\` char(3) NOT NULL, \`quote_currency\` char(3) NOT NULL, \`rate\` decimal(30,12) NOT NULL, \`fee_bps\` int NOT NULL, \`set_by\` char(36) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_fx_rates__created_at_id\` (\`created_at\`, \`id\`), UNIQUE INDEX \`uq_fx_rates__base_currency_quote_currency\` (\`base_currency\`, \`quote_currency\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`wallet_conversions\` (\`id\` char(36) NOT NULL, \`user_id\` char(36) NOT NULL, \`from_wallet_id\` char(36) NOT NULL, \`to_wallet_id\` char(36) NOT NULL, \`from_currency\` char(3) NOT NULL, \`to_currency\` char(3) NOT NULL, \`from_amount_minor\` bigint NOT NULL, \`gross_to_minor\` bigint NOT NULL, \`fee_minor\` bigint NOT NULL, \`net_to_minor\` bigint NOT NULL, \`rate\` decimal(30,12) NOT NULL, \`fee_bps\` int NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_wallet_conversions__to_wallet_id_created_at_id\` (\`to_wallet_id\`, \`created_at\`, \`id\`), INDEX \`idx_wallet_conversions__from_wallet_id_created_at_id\` (\`from_wallet_id\`, \`created_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP INDEX \`idx_wallet_conversions__from_wallet_id_created_at_id\` ON \`wallet_conversions\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_wallet_conversions__to_wallet_id_created_at_id\` ON \`wallet_conversions\``,
    );
    await queryRunner.query(`DROP TABLE \`wallet_conversions\``);
    await queryRunner.query(
      `DROP INDEX \`uq_fx_rates__base_currency_quote_currency\` ON \`fx_rates\``,
    );
    await queryRunner.query(`DROP INDEX \`idx_fx_rates__created_at_id\` ON \`fx_rates\``);
    await queryRunner.query(`DROP TABLE \`fx_rates\``);
  }
}
