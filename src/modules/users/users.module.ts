import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JwtStrategy } from '../../common/auth/jwt.strategy';
import { ApiKeysResolver } from './api-keys.resolver';
import { ApiKeysService } from './api-keys.service';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { ApiKeyEntity } from './entities/api-key.entity';
import { MerchantEntity } from './entities/merchant.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { UserEntity } from './entities/user.entity';
import { MerchantsResolver } from './merchants.resolver';
import { UsersResolver } from './users.resolver';
import { UsersService } from './users.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity, MerchantEntity, RefreshTokenEntity, ApiKeyEntity]),
    PassportModule,
    JwtModule.register({}),
  ],
  providers: [
    UsersService,
    AuthService,
    ApiKeysService,
    JwtStrategy,
    AuthResolver,
    UsersResolver,
    MerchantsResolver,
    ApiKeysResolver,
  ],
  exports: [UsersService, ApiKeysService],
})
export class UsersModule {}
