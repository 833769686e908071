import { MigrationInterface, QueryRunner } from 'typeorm';

export class Ledger1795400000000 implements MigrationInterface {
  name = 'Ledger1795400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`journal_entries\` (\`id\` char(36) NOT NULL, \`sequence\` bigint NOT NULL, \`kind\` varchar(64) NOT NULL, \`reference\` varchar(200) NOT NULL, \`description\` varchar(500) NULL, \`previous_hash\` char(64) NOT NULL, \`hash\` char(64) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_journal_entries__sequence\` (\`sequence\`), INDEX \`idx_journal_entries__created_at_id\` (\`created_at\`, \`id\`), INDEX \`idx_journal_entries__reference\` (\`reference\`), UNIQUE INDEX \`uq_journal_entries__kind_reference\` (\`kind\`, \`reference\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`ledger_accounts\` (\`id\` char(36) NOT NULL, \`kind\` varchar(32) NOT NULL, \`owner_id\` varchar(64) NOT NULL, \`currency\` char(3) NOT NULL, \`balance_minor\` bigint NOT NULL DEFAULT '0', \`allow_negative\` tinyint NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_ledger_accounts__created_at_id\` (\`created_at\`, \`id\`), INDEX \`idx_ledger_accounts__owner_id\` (\`owner_id\`), UNIQUE INDEX \`uq_ledger_accounts__kind_owner_currency\` (\`kind\`, \`owner_id\`, \`currency\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`ledger_chain_head\` (\`id\` tinyint UNSIGNED NOT NULL, \`sequence\` bigint NOT NULL, \`hash\` char(64) NOT NULL, \`entry_id\` char(36) NULL, \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`ledger_postings\` (\`id\` char(36) NOT NULL, \`journal_entry_id\` char(36) NOT NULL, \`line_number\` smallint NOT NULL, \`account_id\` char(36) NOT NULL, \`amount_minor\` bigint NOT NULL, \`currency\` char(3) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_ledger_postings__account_id_created_at_id\` (\`account_id\`, \`created_at\`, \`id\`), UNIQUE INDEX \`uq_ledger_postings__journal_entry_line\` (\`journal_entry_id\`, \`line_number\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`ledger_postings\` ADD CONSTRAINT \`fk_ledger_postings__journal_entry_id\` FOREIGN KEY (\`journal_entry_id\`) REFERENCES \`journal_entries\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`ledger_postings\` ADD CONSTRAINT \`fk_ledger_postings__account_id\` FOREIGN KEY (\`account_id\`) REFERENCES \`ledger_accounts\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`ledger_postings\` DROP FOREIGN KEY \`fk_ledger_postings__account_id\``,
    );
    await queryRunner.query(
      `ALTER TABLE \`ledger_postings\` DROP FOREIGN KEY \`fk_ledger_postings__journal_entry_id\``,
    );
    await queryRunner.query(
      `DROP INDEX \`uq_ledger_postings__journal_entry_line\` ON \`ledger_postings\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_ledger_postings__account_id_created_at_id\` ON \`ledger_postings\``,
    );
    await queryRunner.query(`DROP TABLE \`ledger_postings\``);
    await queryRunner.query(`DROP TABLE \`ledger_chain_head\``);
    await queryRunner.query(
      `DROP INDEX \`uq_ledger_accounts__kind_owner_currency\` ON \`ledger_accounts\``,
    );
    await queryRunner.query(`DROP INDEX \`idx_ledger_accounts__owner_id\` ON \`ledger_accounts\``);
    await queryRunner.query(
      `DROP INDEX \`idx_ledger_accounts__created_at_id\` ON \`ledger_accounts\``,
    );
    await queryRunner.query(`DROP TABLE \`ledger_accounts\``);
    await queryRunner.query(
      `DROP INDEX \`uq_journal_entries__kind_reference\` ON \`journal_entries\``,
    );
    await queryRunner.query(`DROP INDEX \`idx_journal_entries__reference\` ON \`journal_entries\``);
    await queryRunner.query(
      `DROP INDEX \`idx_journal_entries__created_at_id\` ON \`journal_entries\``,
    );
    await queryRunner.query(`DROP INDEX \`uq_journal_entries__sequence\` ON \`journal_entries\``);
    await queryRunner.query(`DROP TABLE \`journal_entries\``);
  }
}
