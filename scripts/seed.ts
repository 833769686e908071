// Seeds the demo users (admin, merchant with its organisation, customer) and prints their credentials.
// Idempotent: re-running resets their passwords to the printed one. Refused in production.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { readDatabaseConfig } from '../src/config/database.config';
import { currentProfile } from '../src/config/profile';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { MerchantEntity } from '../src/modules/users/entities/merchant.entity';
import { UserEntity } from '../src/modules/users/entities/user.entity';
import { hashPassword } from '../src/modules/users/password-hasher';
import { Role } from '../src/modules/users/role';
import { UserStatus } from '../src/modules/users/user-status';

const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'payrail-demo-password';

const DEMO_USERS = [
  { email: 'admin@payrail.test', name: 'Demo Admin', role: Role.ADMIN },
  { email: 'merchant@payrail.test', name: 'Demo Merchant', role: Role.MERCHANT },
  {
    email: 'customer@payrail.test',
    name: 'Demo Customer',
    role: Role.CUSTOMER,
    phone: '254708374149',
  },
];

async function seed(): Promise<void> {
  if (currentProfile() === 'production') {
    process.stderr.write('Refusing to seed demo users with APP_PROFILE=production.\n');
    process.exit(1);
  }
  const dataSource = new DataSource({
    ...buildDataSourceOptions(readDatabaseConfig()),
    logging: false,
  });
  await dataSource.initialize();
  try {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await dataSource.transaction(async (manager) => {
      let merchant = await manager.findOneBy(MerchantEntity, { name: 'Demo Shop' });
      if (!merchant) {
        merchant = manager.create(MerchantEntity, { id: randomUUID(), name: 'Demo Shop' });
        await manager.insert(MerchantEntity, merchant);
      }
      for (const demo of DEMO_USERS) {
        const existing = await manager.findOneBy(UserEntity, { email: demo.email });
        const fields = {
          name: demo.name,
          role: demo.role,
          phone: demo.phone ?? null,
          merchantId: demo.role === Role.MERCHANT ? merchant.id : null,
          passwordHash,
          status: UserStatus.ACTIVE,
          failedLoginCount: 0,
          lockedUntil: null,
        };
        if (existing) await manager.update(UserEntity, { id: existing.id }, fields);
        else await manager.insert(UserEntity, { id: randomUUID(), email: demo.email, ...fields });
      }
    });
  } finally {
    await dataSource.destroy();
  }
  process.stdout.write('\nDemo users (password for all: ' + DEMO_PASSWORD + ')\n');
  for (const demo of DEMO_USERS) process.stdout.write(`  ${demo.role.padEnd(9)} ${demo.email}\n`);
}

seed().catch((error: unknown) => {
  process.stderr.write(
    `Seeding failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
