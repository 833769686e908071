import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { authConfig } from '../../config/auth.config';
import { UsersService } from '../../modules/users/users.service';
import type { AuthUser } from './auth-user';

export interface AccessTokenClaims {
  sub: string;
  role: string;
  mid: string | null;
  ver: number;
  typ: 'access';
}

/**
 * Access tokens: HS256 only (so `alg: none` and key-confusion tokens fail), issuer and audience
 * checked, expiry enforced. The user is re-read so a suspension or password change applies at once.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(authConfig.KEY) config: ConfigType<typeof authConfig>,
    private readonly users: UsersService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.accessSecret,
      algorithms: ['HS256'],
      issuer: config.issuer,
      audience: config.audience,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: 5 },
    });
  }

  async validate(claims: AccessTokenClaims): Promise<AuthUser | false> {
    if (claims.typ !== 'access' || typeof claims.sub !== 'string') return false;
    const user = await this.users.findActiveForToken(claims.sub, claims.ver);
    if (!user) return false;
    return { kind: 'user', userId: user.id, role: user.role, merchantId: user.merchantId };
  }
}
