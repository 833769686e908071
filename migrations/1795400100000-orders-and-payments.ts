import { MigrationInterface, QueryRunner } from 'typeorm';

export class OrdersAndPayments1795400100000 implements MigrationInterface {
  name = 'OrdersAndPayments1795400100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`orders\` (\`id\` char(36) NOT NULL, \`merchant_id\` char(36) NOT NULL, \`customer_id\` char(36) NULL, \`reference\` varchar(64) NULL, \`description\` varchar(255) NULL, \`currency\` char(3) NOT NULL, \`total_minor\` bigint NOT NULL, \`status\` varchar(24) NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`paid_at\` datetime(3) NULL, \`version\` int NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_orders__merchant_reference\` (\`merchant_id\`, \`reference\`), INDEX \`idx_orders__status_expires_at\` (\`status\`, \`expires_at\`), INDEX \`idx_orders__customer_id_created_at\` (\`customer_id\`, \`created_at\`), INDEX \`idx_orders__merchant_id_created_at\` (\`merchant_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`order_line_items\` (\`id\` char(36) NOT NULL, \`order_id\` char(36) NOT NULL, \`position\` smallint UNSIGNED NOT NULL, \`name\` varchar(200) NOT NULL, \`sku\` varchar(64) NULL, \`quantity\` int UNSIGNED NOT NULL, \`unit_amount_minor\` bigint NOT NULL, \`total_minor\` bigint NOT NULL, UNIQUE INDEX \`uq_order_line_items__order_position\` (\`order_id\`, \`position\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`idempotency_keys\` (\`id\` char(36) NOT NULL, \`scope\` varchar(80) NOT NULL, \`idempotency_key\` varchar(255) NOT NULL, \`operation\` varchar(40) NOT NULL, \`request_hash\` char(64) NOT NULL, \`status\` varchar(12) NOT NULL, \`response\` mediumtext NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`expires_at\` datetime(3) NOT NULL, INDEX \`idx_idempotency_keys__expires_at\` (\`expires_at\`), UNIQUE INDEX \`uq_idempotency_keys__scope_key\` (\`scope\`, \`idempotency_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`merchant_gateways\` (\`id\` char(36) NOT NULL, \`merchant_id\` char(36) NOT NULL, \`gateway_code\` varchar(16) NOT NULL, \`enabled\` tinyint NOT NULL, \`credentials_ref\` varchar(200) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_merchant_gateways__merchant_gateway\` (\`merchant_id\`, \`gateway_code\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`payment_attempts\` (\`id\` char(36) NOT NULL, \`payment_id\` char(36) NOT NULL, \`gateway_code\` varchar(16) NOT NULL, \`status\` varchar(16) NOT NULL, \`route_reason\` varchar(255) NOT NULL, \`gateway_reference_id\` varchar(128) NULL, \`gateway_reference\` text NULL, \`decline_code\` varchar(64) NULL, \`message\` varchar(255) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_payment_attempts__gateway_reference\` (\`gateway_code\`, \`gateway_reference_id\`), INDEX \`idx_payment_attempts__payment_id\` (\`payment_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`payment_events\` (\`id\` char(36) NOT NULL, \`payment_id\` char(36) NOT NULL, \`attempt_id\` char(36) NULL, \`refund_id\` char(36) NULL, \`type\` varchar(16) NOT NULL, \`amount_minor\` bigint NOT NULL, \`currency\` char(3) NOT NULL, \`unique_key\` varchar(191) NOT NULL, \`source\` varchar(16) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_payment_events__unique_key\` (\`unique_key\`), INDEX \`idx_payment_events__payment_id\` (\`payment_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`payments\` (\`id\` char(36) NOT NULL, \`order_id\` char(36) NOT NULL, \`merchant_id\` char(36) NOT NULL, \`customer_id\` char(36) NULL, \`amount_minor\` bigint NOT NULL, \`currency\` char(3) NOT NULL, \`status\` varchar(24) NOT NULL, \`capture_mode\` varchar(12) NOT NULL, \`payment_method\` varchar(24) NOT NULL, \`current_attempt_id\` char(36) NULL, \`gateway_code\` varchar(16) NULL, \`authorized_minor\` bigint NOT NULL DEFAULT '0', \`captured_minor\` bigint NOT NULL DEFAULT '0', \`refunded_minor\` bigint NOT NULL DEFAULT '0', \`voided_minor\` bigint NOT NULL DEFAULT '0', \`next_action\` text NULL, \`failure_code\` varchar(64) NULL, \`failure_message\` varchar(255) NULL, \`pending_operation\` varchar(16) NULL, \`pending_operation_at\` datetime(3) NULL, \`return_url\` varchar(500) NOT NULL, \`cancel_url\` varchar(500) NULL, \`reconcile_attempts\` smallint UNSIGNED NOT NULL DEFAULT '0', \`next_reconcile_at\` datetime(3) NULL, \`needs_review\` tinyint NOT NULL DEFAULT 0, \`review_reason\` varchar(255) NULL, \`version\` int NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_payments__status_next_reconcile_at\` (\`status\`, \`next_reconcile_at\`), INDEX \`idx_payments__order_id\` (\`order_id\`), INDEX \`idx_payments__customer_id_created_at\` (\`customer_id\`, \`created_at\`), INDEX \`idx_payments__merchant_id_created_at\` (\`merchant_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`refunds\` (\`id\` char(36) NOT NULL, \`payment_id\` char(36) NOT NULL, \`attempt_id\` char(36) NOT NULL, \`merchant_id\` char(36) NOT NULL, \`gateway_code\` varchar(16) NOT NULL, \`amount_minor\` bigint NOT NULL, \`currency\` char(3) NOT NULL, \`status\` varchar(16) NOT NULL, \`reason\` varchar(255) NULL, \`gateway_reference_id\` varchar(128) NULL, \`gateway_reference\` text NULL, \`failure_code\` varchar(64) NULL, \`failure_message\` varchar(255) NULL, \`reconcile_attempts\` smallint UNSIGNED NOT NULL DEFAULT '0', \`next_reconcile_at\` datetime(3) NULL, \`needs_review\` tinyint NOT NULL DEFAULT 0, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_refunds__gateway_reference\` (\`gateway_code\`, \`gateway_reference_id\`), INDEX \`idx_refunds__status_next_reconcile_at\` (\`status\`, \`next_reconcile_at\`), INDEX \`idx_refunds__merchant_id_created_at\` (\`merchant_id\`, \`created_at\`), INDEX \`idx_refunds__payment_id\` (\`payment_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`routing_rules\` (\`id\` char(36) NOT NULL, \`merchant_id\` char(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`priority\` int NOT NULL, \`gateway_code\` varchar(16) NOT NULL, \`currency\` char(3) NULL, \`payment_method\` varchar(24) NULL, \`min_amount_minor\` bigint NULL, \`max_amount_minor\` bigint NULL, \`country\` char(2) NULL, \`weight\` smallint UNSIGNED NOT NULL DEFAULT '100', \`enabled\` tinyint NOT NULL DEFAULT 1, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_routing_rules__merchant_id_priority\` (\`merchant_id\`, \`priority\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`webhook_events\` (\`id\` char(36) NOT NULL, \`gateway_code\` varchar(16) NOT NULL, \`gateway_event_id\` varchar(191) NOT NULL, \`type\` varchar(32) NOT NULL, \`payload\` mediumtext NOT NULL, \`status\` varchar(12) NOT NULL, \`attempts\` smallint UNSIGNED NOT NULL DEFAULT '0', \`last_error\` varchar(500) NULL, \`payment_id\` char(36) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`processed_at\` datetime(3) NULL, INDEX \`idx_webhook_events__status_created_at\` (\`status\`, \`created_at\`), UNIQUE INDEX \`uq_webhook_events__gateway_event\` (\`gateway_code\`, \`gateway_event_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`order_line_items\` ADD CONSTRAINT \`fk_order_line_items__order\` FOREIGN KEY (\`order_id\`) REFERENCES \`orders\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`order_line_items\` DROP FOREIGN KEY \`fk_order_line_items__order\``,
    );
    await queryRunner.query(
      `DROP INDEX \`uq_webhook_events__gateway_event\` ON \`webhook_events\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_webhook_events__status_created_at\` ON \`webhook_events\``,
    );
    await queryRunner.query(`DROP TABLE \`webhook_events\``);
    await queryRunner.query(
      `DROP INDEX \`idx_routing_rules__merchant_id_priority\` ON \`routing_rules\``,
    );
    await queryRunner.query(`DROP TABLE \`routing_rules\``);
    await queryRunner.query(`DROP INDEX \`idx_refunds__payment_id\` ON \`refunds\``);
    await queryRunner.query(`DROP INDEX \`idx_refunds__merchant_id_created_at\` ON \`refunds\``);
    await queryRunner.query(`DROP INDEX \`idx_refunds__status_next_reconcile_at\` ON \`refunds\``);
    await queryRunner.query(`DROP INDEX \`idx_refunds__gateway_reference\` ON \`refunds\``);
    await queryRunner.query(`DROP TABLE \`refunds\``);
    await queryRunner.query(`DROP INDEX \`idx_payments__merchant_id_created_at\` ON \`payments\``);
    await queryRunner.query(`DROP INDEX \`idx_payments__customer_id_created_at\` ON \`payments\``);
    await queryRunner.query(`DROP INDEX \`idx_payments__order_id\` ON \`payments\``);
    await queryRunner.query(
      `DROP INDEX \`idx_payments__status_next_reconcile_at\` ON \`payments\``,
    );
    await queryRunner.query(`DROP TABLE \`payments\``);
    await queryRunner.query(`DROP INDEX \`idx_payment_events__payment_id\` ON \`payment_events\``);
    await queryRunner.query(`DROP INDEX \`uq_payment_events__unique_key\` ON \`payment_events\``);
    await queryRunner.query(`DROP TABLE \`payment_events\``);
    await queryRunner.query(
      `DROP INDEX \`idx_payment_attempts__payment_id\` ON \`payment_attempts\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_payment_attempts__gateway_reference\` ON \`payment_attempts\``,
    );
    await queryRunner.query(`DROP TABLE \`payment_attempts\``);
    await queryRunner.query(
      `DROP INDEX \`uq_merchant_gateways__merchant_gateway\` ON \`merchant_gateways\``,
    );
    await queryRunner.query(`DROP TABLE \`merchant_gateways\``);
    await queryRunner.query(
      `DROP INDEX \`uq_idempotency_keys__scope_key\` ON \`idempotency_keys\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_idempotency_keys__expires_at\` ON \`idempotency_keys\``,
    );
    await queryRunner.query(`DROP TABLE \`idempotency_keys\``);
    await queryRunner.query(
      `DROP INDEX \`uq_order_line_items__order_position\` ON \`order_line_items\``,
    );
    await queryRunner.query(`DROP TABLE \`order_line_items\``);
    await queryRunner.query(`DROP INDEX \`idx_orders__merchant_id_created_at\` ON \`orders\``);
    await queryRunner.query(`DROP INDEX \`idx_orders__customer_id_created_at\` ON \`orders\``);
    await queryRunner.query(`DROP INDEX \`idx_orders__status_expires_at\` ON \`orders\``);
    await queryRunner.query(`DROP INDEX \`uq_orders__merchant_reference\` ON \`orders\``);
    await queryRunner.query(`DROP TABLE \`orders\``);
  }
}
