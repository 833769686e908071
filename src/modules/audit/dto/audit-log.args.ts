import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsDate, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageArgs } from '../../../common/graphql/pagination';

@ArgsType()
export class AuditLogArgs extends PageArgs {
  @Field({ nullable: true, description: 'Only this action, e.g. `payment.refund`.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @Field({ nullable: true, description: 'Only objects of this kind, e.g. `payment`.' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  objectType?: string;

  @Field({ nullable: true, description: 'Only this object (usually with `objectType`).' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  objectId?: string;

  @Field({ nullable: true, description: 'Only actions by this actor (user, API key, job...).' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actorId?: string;

  @Field(() => ID, { nullable: true, description: 'Only actions concerning this merchant.' })
  @IsOptional()
  @IsUUID()
  merchantId?: string;

  @Field({ nullable: true, description: 'Only actions at or after this instant.' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field({ nullable: true, description: 'Only actions at or before this instant.' })
  @IsOptional()
  @IsDate()
  to?: Date;
}
