import { plainToInstance, Type } from 'class-transformer';
import {
  IsDefined,
  IsInt,
  IsObject,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { ValidationFailedError } from '../../../common/errors/common.errors';

/** The network's ids: letters, digits and `._:-`, up to 100 characters. */
export const NETWORK_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Where the card is being used. */
export class CardNetworkMerchant {
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @Matches(/^\d{4}$/, {
    message: 'categoryCode must be a 4-digit ISO 18245 merchant category code',
  })
  categoryCode: string;

  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code, e.g. "US"' })
  country: string;
}

/** `POST /card-network/authorizations` body. */
export class CardNetworkAuthorizationRequest {
  @Matches(NETWORK_ID, { message: 'id must be 1 to 100 letters, digits or ._:-' })
  id: string;

  @Matches(/^\d{12,19}$/, { message: 'cardNumber must be 12 to 19 digits' })
  cardNumber: string;

  @IsInt()
  @Min(1)
  @Max(12)
  expMonth: number;

  @IsInt()
  @Min(2000)
  @Max(2999)
  expYear: number;

  // Left out means "no CVV". A null is refused like any other non-string (IsOptional would let it
  // through, and the CVV check would then fail on it).
  @ValidateIf((body: CardNetworkAuthorizationRequest) => body.cvv !== undefined)
  @Matches(/^\d{3,4}$/, { message: 'cvv must be 3 or 4 digits, or left out' })
  cvv?: string;

  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor: number;

  @Matches(/^[A-Z]{3}$/, { message: 'currency must be three upper-case letters (ISO 4217)' })
  currency: string;

  // IsObject refuses an array: ValidateNested alone accepts one (checking each element), which
  // left merchant.name undefined and failed the insert with a 500.
  @IsDefined()
  @IsObject({ message: 'merchant must be an object' })
  @ValidateNested()
  @Type(() => CardNetworkMerchant)
  merchant: CardNetworkMerchant;
}

/** `POST /card-network/authorizations/:id/capture` body. */
export class CardNetworkCaptureRequest {
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor: number;
}

/** The network's authorization id in a path. */
export class CardNetworkPath {
  @IsString()
  @Length(1, 100)
  @Matches(NETWORK_ID, {
    message: 'networkAuthorizationId must be 1 to 100 letters, digits or ._:-',
  })
  networkAuthorizationId: string;
}

function collect(
  errors: ValidationError[],
  parent = '',
  into: Record<string, string[]> = {},
): Record<string, string[]> {
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) into[path] = Object.values(error.constraints);
    if (error.children?.length) collect(error.children, path, into);
  }
  return into;
}

/**
 * Validates a network body strictly (no implicit conversion, unknown fields refused). Run after
 * the signature check, so an unsigned caller learns nothing about our input rules.
 */
export function parseNetworkBody<T extends object>(schema: new () => T, body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationFailedError({ body: ['must be a JSON object'] });
  }
  const instance = plainToInstance(schema, body, { enableImplicitConversion: false });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  if (errors.length > 0) throw new ValidationFailedError(collect(errors));
  return instance;
}
