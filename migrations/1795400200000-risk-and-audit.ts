import { MigrationInterface, QueryRunner } from 'typeorm';

export class RiskAndAudit1795400200000 implements MigrationInterface {
  name = 'RiskAndAudit1795400200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`audit_log\` (\`id\` char(36) NOT NULL, \`occurred_at\` datetime(3) NOT NULL, \`actor_type\` varchar(16) NOT NULL, \`actor_id\` varchar(100) NOT NULL, \`actor_role\` varchar(20) NULL, \`merchant_id\` char(36) NULL, \`ip\` varchar(64) NULL, \`request_id\` varchar(100) NULL, \`action\` varchar(100) NOT NULL, \`object_type\` varchar(50) NOT NULL, \`object_id\` varchar(100) NOT NULL, \`details\` json NULL, INDEX \`idx_audit_log__action_occurred_at\` (\`action\`, \`occurred_at\`), INDEX \`idx_audit_log__merchant_id_occurred_at\` (\`merchant_id\`, \`occurred_at\`), INDEX \`idx_audit_log__actor_id_occurred_at\` (\`actor_id\`, \`occurred_at\`), INDEX \`idx_audit_log__object_type_object_id_occurred_at\` (\`object_type\`, \`object_id\`, \`occurred_at\`), INDEX \`idx_audit_log__occurred_at_id\` (\`occurred_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    // The audit log is append-only at the database level: no UPDATE ever, and DELETE only from a
    // session that has set @payrail_allow_audit_purge = 1 (the test suite's truncate does).
    // TypeORM does not read triggers, so they cause no schema drift in migration:check.
    await queryRunner.query(
      `CREATE TRIGGER \`trg_audit_log__no_update\` BEFORE UPDATE ON \`audit_log\` FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only: rows cannot be updated'`,
    );
    await queryRunner.query(
      `CREATE TRIGGER \`trg_audit_log__no_delete\` BEFORE DELETE ON \`audit_log\` FOR EACH ROW BEGIN IF COALESCE(@payrail_allow_audit_purge, 0) <> 1 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only: rows cannot be deleted'; END IF; END`,
    );
    await queryRunner.query(
      `CREATE TABLE \`block_list_entries\` (\`id\` char(36) NOT NULL, \`merchant_id\` char(36) NULL, \`dimension\` varchar(20) NOT NULL, \`value_hash\` char(64) NOT NULL, \`hint\` varchar(16) NOT NULL, \`reason\` varchar(500) NOT NULL, \`created_by\` varchar(100) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_block_list_entries__created_at_id\` (\`created_at\`, \`id\`), UNIQUE INDEX \`uq_block_list_entries__dimension_value_merchant\` (\`dimension\`, \`value_hash\`, \`merchant_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`risk_reviews\` (\`id\` char(36) NOT NULL, \`payment_id\` char(36) NOT NULL, \`merchant_id\` char(36) NOT NULL, \`reasons\` json NOT NULL, \`status\` varchar(10) NOT NULL, \`resolved_by\` varchar(100) NULL, \`resolved_at\` datetime(3) NULL, \`note\` varchar(1000) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_risk_reviews__payment_id\` (\`payment_id\`), INDEX \`idx_risk_reviews__created_at_id\` (\`created_at\`, \`id\`), INDEX \`idx_risk_reviews__merchant_id_created_at\` (\`merchant_id\`, \`created_at\`), INDEX \`idx_risk_reviews__status_created_at\` (\`status\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`risk_rules\` (\`id\` char(36) NOT NULL, \`merchant_id\` char(36) NULL, \`type\` varchar(20) NOT NULL, \`dimension\` varchar(20) NULL, \`max_count\` int UNSIGNED NULL, \`window_seconds\` int UNSIGNED NULL, \`currency\` char(3) NULL, \`max_amount_minor\` bigint NULL, \`min_amount_minor\` bigint NULL, \`action\` varchar(10) NOT NULL, \`enabled\` tinyint NOT NULL DEFAULT 1, \`description\` varchar(500) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_risk_rules__created_at_id\` (\`created_at\`, \`id\`), INDEX \`idx_risk_rules__merchant_id_enabled\` (\`merchant_id\`, \`enabled\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`block_list_entries\` ADD CONSTRAINT \`fk_block_list_entries__merchant_id\` FOREIGN KEY (\`merchant_id\`) REFERENCES \`merchants\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`risk_rules\` ADD CONSTRAINT \`fk_risk_rules__merchant_id\` FOREIGN KEY (\`merchant_id\`) REFERENCES \`merchants\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`risk_rules\` DROP FOREIGN KEY \`fk_risk_rules__merchant_id\``,
    );
    await queryRunner.query(
      `ALTER TABLE \`block_list_entries\` DROP FOREIGN KEY \`fk_block_list_entries__merchant_id\``,
    );
    await queryRunner.query(`DROP INDEX \`idx_risk_rules__merchant_id_enabled\` ON \`risk_rules\``);
    await queryRunner.query(`DROP INDEX \`idx_risk_rules__created_at_id\` ON \`risk_rules\``);
    await queryRunner.query(`DROP TABLE \`risk_rules\``);
    await queryRunner.query(
      `DROP INDEX \`idx_risk_reviews__status_created_at\` ON \`risk_reviews\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_risk_reviews__merchant_id_created_at\` ON \`risk_reviews\``,
    );
    await queryRunner.query(`DROP INDEX \`idx_risk_reviews__created_at_id\` ON \`risk_reviews\``);
    await queryRunner.query(`DROP INDEX \`uq_risk_reviews__payment_id\` ON \`risk_reviews\``);
    await queryRunner.query(`DROP TABLE \`risk_reviews\``);
    await queryRunner.query(
      `DROP INDEX \`uq_block_list_entries__dimension_value_merchant\` ON \`block_list_entries\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_block_list_entries__created_at_id\` ON \`block_list_entries\``,
    );
    await queryRunner.query(`DROP TABLE \`block_list_entries\``);
    await queryRunner.query(`DROP TRIGGER IF EXISTS \`trg_audit_log__no_delete\``);
    await queryRunner.query(`DROP TRIGGER IF EXISTS \`trg_audit_log__no_update\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_log__occurred_at_id\` ON \`audit_log\``);
    await queryRunner.query(
      `DROP INDEX \`idx_audit_log__object_type_object_id_occurred_at\` ON \`audit_log\``,
    );
    await queryRunner.query(`DROP INDEX \`idx_audit_log__actor_id_occurred_at\` ON \`audit_log\``);
    await queryRunner.query(
      `DROP INDEX \`idx_audit_log__merchant_id_occurred_at\` ON \`audit_log\``,
    );
    await queryRunner.query(`DROP INDEX \`idx_audit_log__action_occurred_at\` ON \`audit_log\``);
    await queryRunner.query(`DROP TABLE \`audit_log\``);
  }
}
