import { registerEnumType } from '@nestjs/graphql';

export enum Role {
  CUSTOMER = 'CUSTOMER',
  MERCHANT = 'MERCHANT',
  SUPPORT = 'SUPPORT',
  ADMIN = 'ADMIN',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'What a user may do.',
  valuesMap: {
    CUSTOMER: { description: 'Pays for orders and keeps a wallet.' },
    MERCHANT: { description: 'Belongs to a merchant organisation and sells.' },
    SUPPORT: { description: 'Staff who can read across tenants to help users.' },
    ADMIN: { description: 'Staff who manage users, roles and configuration.' },
  },
});

export const ALL_ROLES: readonly Role[] = [Role.CUSTOMER, Role.MERCHANT, Role.SUPPORT, Role.ADMIN];
export const STAFF_ROLES: readonly Role[] = [Role.SUPPORT, Role.ADMIN];
