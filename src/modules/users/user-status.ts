import { registerEnumType } from '@nestjs/graphql';

export enum UserStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
}

registerEnumType(UserStatus, {
  name: 'UserStatus',
  description: 'Whether a user may sign in.',
  valuesMap: {
    ACTIVE: { description: 'May sign in.' },
    SUSPENDED: {
      description: 'Suspended by an admin; every session and refresh token is refused.',
    },
  },
});

/** Allowed status changes: one table, one function (see transition()). */
export const USER_STATUS_TRANSITIONS: Record<UserStatus, readonly UserStatus[]> = {
  [UserStatus.ACTIVE]: [UserStatus.SUSPENDED],
  [UserStatus.SUSPENDED]: [UserStatus.ACTIVE],
};
