import { SetMetadata } from '@nestjs/common';

export const AUTH_THROTTLE_KEY = 'payrail:authThrottle';

/** Adds the stricter per-IP `auth` budget (sign-in, sign-up, refresh) on top of the general one. */
export const AuthThrottle = (): MethodDecorator => SetMetadata(AUTH_THROTTLE_KEY, true);
