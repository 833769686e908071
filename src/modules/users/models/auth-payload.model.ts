import { Field, ObjectType } from '@nestjs/graphql';
import type { TokenPair } from '../auth.service';
import { User } from './user.model';

@ObjectType('AuthTokens', {
  description: 'A short-lived access token and a rotating refresh token.',
})
export class AuthTokens {
  @Field({ description: 'Send as `Authorization: Bearer <accessToken>`.' })
  accessToken: string;

  @Field({ description: 'When the access token expires.' })
  accessTokenExpiresAt: Date;

  @Field({
    description:
      'Exchange once for a new pair with `refreshToken`; reusing it revokes the session.',
  })
  refreshToken: string;

  @Field({ description: 'When the refresh token expires.' })
  refreshTokenExpiresAt: Date;
}

@ObjectType('AuthPayload', { description: 'The signed-in user and their tokens.' })
export class AuthPayload {
  @Field(() => User, { description: 'The signed-in user.' })
  user: User;

  @Field(() => AuthTokens, { description: 'The session tokens.' })
  tokens: AuthTokens;
}

export const toAuthTokens = (tokens: TokenPair): AuthTokens => ({ ...tokens });
