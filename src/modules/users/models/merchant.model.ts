import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import type { MerchantEntity } from '../entities/merchant.entity';

@ObjectType('Merchant', {
  description: 'A merchant organisation: the tenant that owns orders, keys and balances.',
})
export class Merchant {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field({ description: 'Trading name.' })
  name: string;

  @Field({ description: 'When the merchant was created.' })
  createdAt: Date;
}

@ObjectType('MerchantConnection', { description: 'A page of merchants.' })
export class MerchantConnection extends Paginated(Merchant, 'Merchant') {}

export const toMerchantModel = (entity: MerchantEntity): Merchant => ({
  id: entity.id,
  name: entity.name,
  createdAt: entity.createdAt,
});
