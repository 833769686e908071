import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'payrail:isPublic';

/** Marks a route or GraphQL operation as open to anonymous callers (the global guard denies the rest). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
