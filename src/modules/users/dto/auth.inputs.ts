import { Field, InputType } from '@nestjs/graphql';
import {
  IsEmail,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

const PHONE = /^[1-9]\d{7,14}$/;

@InputType({
  description:
    'A new account. With `merchantName`, the account is a MERCHANT owning a new merchant.',
})
export class SignUpInput {
  @Field({ description: 'Sign-in email.' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @Field({ description: 'At least 12 characters.' })
  @IsString()
  @MinLength(12, { message: 'password must be at least 12 characters' })
  @MaxLength(128)
  password: string;

  @Field({ description: 'Display name.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @Field({
    nullable: true,
    description: 'Phone in E.164 without the plus sign, e.g. 254708374149.',
  })
  @IsOptional()
  @Matches(PHONE, { message: 'phone must be 8 to 15 digits in E.164 without the plus sign' })
  phone?: string;

  @Field({ nullable: true, description: 'Creates a merchant of this name owned by the new user.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  merchantName?: string;
}

@InputType({ description: 'Email and password.' })
export class LogInInput {
  @Field({ description: 'Sign-in email.' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @Field({ description: 'Password.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;
}

@InputType({ description: 'A refresh token to exchange or revoke.' })
export class RefreshTokenInput {
  @Field({ description: 'The refresh token from the last sign-in or refresh.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken: string;
}

@InputType({ description: 'Password change: ends every other session.' })
export class ChangePasswordInput {
  @Field({ description: 'The password in use now.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  currentPassword: string;

  @Field({ description: 'The new password, at least 12 characters.' })
  @IsString()
  @MinLength(12, { message: 'newPassword must be at least 12 characters' })
  @MaxLength(128)
  newPassword: string;
}

@InputType({ description: 'Profile fields to change; omitted fields stay.' })
export class UpdateProfileInput {
  @Field({ nullable: true, description: 'Display name.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @Field({ nullable: true, description: 'Phone in E.164 without the plus sign.' })
  @IsOptional()
  @Matches(PHONE, { message: 'phone must be 8 to 15 digits in E.164 without the plus sign' })
  phone?: string;
}
