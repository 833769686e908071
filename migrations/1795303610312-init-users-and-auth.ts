import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitUsersAndAuth1795303610312 implements MigrationInterface {
  name = 'InitUsersAndAuth1795303610312';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`api_keys\` (\`id\` char(36) NOT NULL, \`merchant_id\` char(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`prefix\` varchar(32) NOT NULL, \`secret_hash\` char(64) NOT NULL, \`scopes\` text NOT NULL, \`created_by_user_id\` char(36) NOT NULL, \`last_used_at\` datetime(3) NULL, \`revoked_at\` datetime(3) NULL, \`expires_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_api_keys__prefix\` (\`prefix\`), INDEX \`idx_api_keys__merchant_id_created_at\` (\`merchant_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`merchants\` (\`id\` char(36) NOT NULL, \`name\` varchar(200) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`refresh_tokens\` (\`id\` char(36) NOT NULL, \`user_id\` char(36) NOT NULL, \`family_id\` char(36) NOT NULL, \`token_hash\` char(64) NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`revoked_at\` datetime(3) NULL, \`revoked_reason\` varchar(40) NULL, \`replaced_by_id\` char(36) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_refresh_tokens__token_hash\` (\`token_hash\`), INDEX \`idx_refresh_tokens__user_id\` (\`user_id\`), INDEX \`idx_refresh_tokens__family_id\` (\`family_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`users\` (\`id\` char(36) NOT NULL, \`email\` varchar(254) NOT NULL, \`password_hash\` varchar(255) NOT NULL, \`name\` varchar(200) NOT NULL, \`phone\` varchar(20) NULL, \`role\` enum ('CUSTOMER', 'MERCHANT', 'SUPPORT', 'ADMIN') NOT NULL, \`status\` enum ('ACTIVE', 'SUSPENDED') NOT NULL DEFAULT 'ACTIVE', \`merchant_id\` char(36) NULL, \`failed_login_count\` int NOT NULL DEFAULT '0', \`locked_until\` datetime(3) NULL, \`token_version\` int NOT NULL DEFAULT '0', \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_users__email\` (\`email\`), INDEX \`idx_users__created_at_id\` (\`created_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`users\` ADD CONSTRAINT \`fk_users__merchant_id\` FOREIGN KEY (\`merchant_id\`) REFERENCES \`merchants\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`users\` DROP FOREIGN KEY \`fk_users__merchant_id\``);
    await queryRunner.query(`DROP INDEX \`idx_users__created_at_id\` ON \`users\``);
    await queryRunner.query(`DROP INDEX \`uq_users__email\` ON \`users\``);
    await queryRunner.query(`DROP TABLE \`users\``);
    await queryRunner.query(`DROP INDEX \`idx_refresh_tokens__family_id\` ON \`refresh_tokens\``);
    await queryRunner.query(`DROP INDEX \`idx_refresh_tokens__user_id\` ON \`refresh_tokens\``);
    await queryRunner.query(`DROP INDEX \`uq_refresh_tokens__token_hash\` ON \`refresh_tokens\``);
    await queryRunner.query(`DROP TABLE \`refresh_tokens\``);
    await queryRunner.query(`DROP TABLE \`merchants\``);
    await queryRunner.query(`DROP INDEX \`idx_api_keys__merchant_id_created_at\` ON \`api_keys\``);
    await queryRunner.query(`DROP INDEX \`uq_api_keys__prefix\` ON \`api_keys\``);
    await queryRunner.query(`DROP TABLE \`api_keys\``);
  }
}
