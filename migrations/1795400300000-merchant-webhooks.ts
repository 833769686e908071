import { MigrationInterface, QueryRunner } from 'typeorm';

export class MerchantWebhooks1795400300000 implements MigrationInterface {
  name = 'MerchantWebhooks1795400300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`outbox_events\` (\`id\` char(36) NOT NULL, \`merchant_id\` char(36) NOT NULL, \`object_type\` varchar(20) NOT NULL, \`object_id\` varchar(64) NOT NULL, \`sequence\` int UNSIGNED NOT NULL, \`type\` varchar(100) NOT NULL, \`payload\` json NOT NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`idx_outbox_events__merchant_id_created_at_id\` (\`merchant_id\`, \`created_at\`, \`id\`), UNIQUE INDEX \`uq_outbox_events__object_sequence\` (\`object_type\`, \`object_id\`, \`sequence\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`webhook_endpoints\` (\`id\` char(36) NOT NULL, \`merchant_id\` char(36) NOT NULL, \`url\` varchar(2048) NOT NULL, \`secret_encrypted\` varchar(512) NOT NULL, \`event_types\` text NOT NULL, \`enabled\` tinyint NOT NULL DEFAULT 1, \`description\` varchar(500) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_webhook_endpoints__merchant_id_created_at\` (\`merchant_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`webhook_deliveries\` (\`id\` char(36) NOT NULL, \`event_id\` char(36) NOT NULL, \`endpoint_id\` char(36) NOT NULL, \`merchant_id\` char(36) NOT NULL, \`status\` enum ('PENDING', 'SUCCEEDED', 'FAILED') NOT NULL DEFAULT 'PENDING', \`attempt_count\` int UNSIGNED NOT NULL DEFAULT '0', \`replayed_at_attempt\` int UNSIGNED NOT NULL DEFAULT '0', \`next_attempt_at\` datetime(3) NULL, \`locked_until\` datetime(3) NULL, \`last_status_code\` smallint UNSIGNED NULL, \`last_error\` varchar(500) NULL, \`delivered_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_webhook_deliveries__endpoint_id_created_at\` (\`endpoint_id\`, \`created_at\`), INDEX \`idx_webhook_deliveries__merchant_id_created_at_id\` (\`merchant_id\`, \`created_at\`, \`id\`), INDEX \`idx_webhook_deliveries__status_next_attempt_at\` (\`status\`, \`next_attempt_at\`), UNIQUE INDEX \`uq_webhook_deliveries__event_endpoint\` (\`event_id\`, \`endpoint_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`webhook_delivery_attempts\` (\`id\` char(36) NOT NULL, \`delivery_id\` char(36) NOT NULL, \`attempt_number\` int UNSIGNED NOT NULL, \`started_at\` datetime(3) NOT NULL, \`duration_ms\` int UNSIGNED NOT NULL, \`status_code\` smallint UNSIGNED NULL, \`response_body\` varchar(1024) NULL, \`error\` varchar(500) NULL, UNIQUE INDEX \`uq_webhook_delivery_attempts__delivery_attempt\` (\`delivery_id\`, \`attempt_number\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`webhook_deliveries\` ADD CONSTRAINT \`fk_webhook_deliveries__event_id\` FOREIGN KEY (\`event_id\`) REFERENCES \`outbox_events\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`webhook_deliveries\` ADD CONSTRAINT \`fk_webhook_deliveries__endpoint_id\` FOREIGN KEY (\`endpoint_id\`) REFERENCES \`webhook_endpoints\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`webhook_delivery_attempts\` ADD CONSTRAINT \`fk_webhook_delivery_attempts__delivery_id\` FOREIGN KEY (\`delivery_id\`) REFERENCES \`webhook_deliveries\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`webhook_delivery_attempts\` DROP FOREIGN KEY \`fk_webhook_delivery_attempts__delivery_id\``,
    );
    await queryRunner.query(
      `ALTER TABLE \`webhook_deliveries\` DROP FOREIGN KEY \`fk_webhook_deliveries__endpoint_id\``,
    );
    await queryRunner.query(
      `ALTER TABLE \`webhook_deliveries\` DROP FOREIGN KEY \`fk_webhook_deliveries__event_id\``,
    );
    await queryRunner.query(
      `DROP INDEX \`uq_webhook_delivery_attempts__delivery_attempt\` ON \`webhook_delivery_attempts\``,
    );
    await queryRunner.query(`DROP TABLE \`webhook_delivery_attempts\``);
    await queryRunner.query(
      `DROP INDEX \`uq_webhook_deliveries__event_endpoint\` ON \`webhook_deliveries\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_webhook_deliveries__status_next_attempt_at\` ON \`webhook_deliveries\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_webhook_deliveries__merchant_id_created_at_id\` ON \`webhook_deliveries\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_webhook_deliveries__endpoint_id_created_at\` ON \`webhook_deliveries\``,
    );
    await queryRunner.query(`DROP TABLE \`webhook_deliveries\``);
    await queryRunner.query(
      `DROP INDEX \`idx_webhook_endpoints__merchant_id_created_at\` ON \`webhook_endpoints\``,
    );
    await queryRunner.query(`DROP TABLE \`webhook_endpoints\``);
    await queryRunner.query(
      `DROP INDEX \`uq_outbox_events__object_sequence\` ON \`outbox_events\``,
    );
    await queryRunner.query(
      `DROP INDEX \`idx_outbox_events__merchant_id_created_at_id\` ON \`outbox_events\``,
    );
    await queryRunner.query(`DROP TABLE \`outbox_events\``);
  }
}
