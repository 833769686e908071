import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import type { BlockListEntryEntity } from '../entities/block-list-entry.entity';
import { RiskDimension } from '../risk-rule-kinds';

@ObjectType('BlockListEntry', {
  description: 'A value no payment may use. The value itself is not kept, only a hash and a hint.',
})
export class BlockListEntry {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The merchant the entry applies to; null for every merchant.',
  })
  merchantId: string | null;

  @Field(() => RiskDimension, { description: 'What kind of value is blocked.' })
  dimension: RiskDimension;

  @Field({ description: 'The last characters of the normalised value, e.g. `…1234`.' })
  hint: string;

  @Field({ description: 'Why the value is blocked.' })
  reason: string;

  @Field({ description: 'Id of the staff member who added it.' })
  createdBy: string;

  @Field({ description: 'When it was added.' })
  createdAt: Date;
}

@ObjectType('BlockListEntryConnection', { description: 'A page of block-list entries.' })
export class BlockListEntryConnection extends Paginated(BlockListEntry, 'BlockListEntry') {}

export const toBlockListEntryModel = (entity: BlockListEntryEntity): BlockListEntry => ({
  id: entity.id,
  merchantId: entity.merchantId,
  dimension: entity.dimension,
  hint: entity.hint,
  reason: entity.reason,
  createdBy: entity.createdBy,
  createdAt: entity.createdAt,
});
