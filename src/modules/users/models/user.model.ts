import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import type { UserEntity } from '../entities/user.entity';
import { Role } from '../role';
import { UserStatus } from '../user-status';

@ObjectType('User', { description: 'A person who can sign in.' })
export class User {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field({ description: 'Sign-in email, lower-cased.' })
  email: string;

  @Field({ description: 'Display name.' })
  name: string;

  @Field(() => String, {
    nullable: true,
    description: 'Phone number in E.164 without the plus sign.',
  })
  phone: string | null;

  @Field(() => Role, { description: 'What the user may do.' })
  role: Role;

  @Field(() => UserStatus, { description: 'Whether the user may sign in.' })
  status: UserStatus;

  @Field(() => ID, { nullable: true, description: 'The merchant a MERCHANT user belongs to.' })
  merchantId: string | null;

  @Field({ description: 'When the account was created.' })
  createdAt: Date;
}

@ObjectType('UserConnection', { description: 'A page of users.' })
export class UserConnection extends Paginated(User, 'User') {}

export const toUserModel = (entity: UserEntity): User => ({
  id: entity.id,
  email: entity.email,
  name: entity.name,
  phone: entity.phone,
  role: entity.role,
  status: entity.status,
  merchantId: entity.merchantId,
  createdAt: entity.createdAt,
});
