import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsEnum,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { PageArgs } from '../../../common/graphql/pagination';
import { Role } from '../role';
import { UserStatus } from '../user-status';

@ArgsType()
export class UsersArgs extends PageArgs {
  @Field(() => Role, { nullable: true, description: 'Only users of this role.' })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;

  @Field(() => UserStatus, { nullable: true, description: 'Only users in this status.' })
  @IsOptional()
  @IsEnum(UserStatus)
  status?: UserStatus;

  @Field(() => ID, {
    nullable: true,
    description: 'Only members of this merchant (staff only; merchants always see their own).',
  })
  @IsOptional()
  @IsUUID()
  merchantId?: string;
}

@InputType({ description: 'A role change made by an admin.' })
export class ChangeUserRoleInput {
  @Field(() => ID, { description: 'The user to change.' })
  @IsUUID()
  userId: string;

  @Field(() => Role, { description: 'The new role.' })
  @IsEnum(Role)
  role: Role;

  @Field(() => ID, {
    nullable: true,
    description: 'The merchant, required when the new role is MERCHANT.',
  })
  @IsOptional()
  @IsUUID()
  merchantId?: string;
}

@InputType({ description: 'A new merchant organisation.' })
export class CreateMerchantInput {
  @Field({ description: 'Trading name.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;
}

@InputType({ description: 'A new API key for the caller’s merchant.' })
export class CreateApiKeyInput {
  @Field({ description: 'A label to recognise the key.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @Field(() => [String], {
    description: 'Scopes: merchant:read, orders:read, orders:write, payments:read, payments:write.',
  })
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  scopes: string[];

  @Field({ nullable: true, description: 'When the key stops working by itself.' })
  @IsOptional()
  @IsDate()
  expiresAt?: Date;
}
