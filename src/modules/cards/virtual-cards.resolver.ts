import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { Roles, SessionOnly } from '../../common/auth/roles.decorator';
import { AuditActorParam } from '../audit/audit-actor';
import type { AuditActor } from '../audit/audit.types';
import { ALL_ROLES, Role } from '../users/role';
import { mapConnection } from '../wallets/wallets.resolver';
import {
  CardAuthorizationsArgs,
  IssueVirtualCardInput,
  SetVirtualCardLimitsInput,
  VirtualCardsArgs,
} from './dto/cards.inputs';
import {
  CardAuthorizationConnection,
  toCardAuthorizationModel,
} from './models/card-authorization.model';
import {
  IssuedVirtualCard,
  toVirtualCardModel,
  VirtualCard,
  VirtualCardConnection,
} from './models/virtual-card.model';
import { VirtualCardStatus } from './virtual-card-status';
import { VirtualCardsService } from './virtual-cards.service';

// Cards are personal: only a wallet's owner issues them, never a merchant's API key.
const HOLDERS = [Role.CUSTOMER, Role.MERCHANT];
// The holder manages their card; an admin may too (freeze for fraud, close, limits).
const MANAGERS = [Role.CUSTOMER, Role.MERCHANT, Role.ADMIN];

const cardIdArg = { type: () => ID, description: 'The card’s id.' };

@Resolver(() => VirtualCard)
export class VirtualCardsResolver {
  constructor(private readonly cards: VirtualCardsService) {}

  @Mutation(() => IssuedVirtualCard, {
    description:
      'Issues a virtual card on your wallet. The full number and CVV are returned this once and never again.',
  })
  @Roles(...HOLDERS)
  @SessionOnly()
  async issueVirtualCard(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The wallet, an optional label and limits.' })
    input: IssueVirtualCardInput,
  ): Promise<IssuedVirtualCard> {
    const issued = await this.cards.issue(caller, input, actor);
    return {
      card: toVirtualCardModel(issued.card),
      number: issued.number,
      cvv: issued.cvv,
      expMonth: issued.card.expMonth,
      expYear: issued.card.expYear,
    };
  }

  @Query(() => VirtualCardConnection, {
    description: 'A wallet’s virtual cards, newest first (the wallet’s owner, or staff).',
  })
  @Roles(...ALL_ROLES)
  @SessionOnly()
  async virtualCards(
    @CurrentUser() caller: AuthUser,
    @Args() args: VirtualCardsArgs,
  ): Promise<VirtualCardConnection> {
    const page = await this.cards.list(caller, args.walletId, {
      first: args.first ?? 20,
      after: args.after,
    });
    return mapConnection(page, toVirtualCardModel);
  }

  @Query(() => VirtualCard, { description: 'One virtual card: yours, or any for staff.' })
  @Roles(...ALL_ROLES)
  @SessionOnly()
  async virtualCard(
    @CurrentUser() caller: AuthUser,
    @Args('id', cardIdArg, ParseUUIDPipe) id: string,
  ): Promise<VirtualCard> {
    return toVirtualCardModel(await this.cards.findVisibleOrThrow(caller, id));
  }

  @Mutation(() => VirtualCard, {
    description:
      'Freezes a card: new authorizations are declined until it is unfrozen (the holder, or an admin).',
  })
  @Roles(...MANAGERS)
  @SessionOnly()
  async freezeVirtualCard(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('id', cardIdArg, ParseUUIDPipe) id: string,
  ): Promise<VirtualCard> {
    return toVirtualCardModel(
      await this.cards.setStatus(caller, id, VirtualCardStatus.FROZEN, actor),
    );
  }

  @Mutation(() => VirtualCard, {
    description:
      'Unfreezes a frozen card (the holder, or an admin; a card frozen by staff only by an admin).',
  })
  @Roles(...MANAGERS)
  @SessionOnly()
  async unfreezeVirtualCard(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('id', cardIdArg, ParseUUIDPipe) id: string,
  ): Promise<VirtualCard> {
    return toVirtualCardModel(
      await this.cards.setStatus(caller, id, VirtualCardStatus.ACTIVE, actor),
    );
  }

  @Mutation(() => VirtualCard, {
    description:
      'Closes a card for good; earlier approved authorizations may still be captured (the holder, or an admin).',
  })
  @Roles(...MANAGERS)
  @SessionOnly()
  async closeVirtualCard(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('id', cardIdArg, ParseUUIDPipe) id: string,
  ): Promise<VirtualCard> {
    return toVirtualCardModel(
      await this.cards.setStatus(caller, id, VirtualCardStatus.CLOSED, actor),
    );
  }

  @Mutation(() => VirtualCard, {
    description: 'Changes a card’s spending limits (the holder, or an admin).',
  })
  @Roles(...MANAGERS)
  @SessionOnly()
  async setVirtualCardLimits(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The card and its new limits.' })
    input: SetVirtualCardLimitsInput,
  ): Promise<VirtualCard> {
    const { cardId, ...limits } = input;
    return toVirtualCardModel(await this.cards.setLimits(caller, cardId, limits, actor));
  }

  @Query(() => CardAuthorizationConnection, {
    description: 'A card’s authorizations, newest first (the holder, or staff).',
  })
  @Roles(...ALL_ROLES)
  @SessionOnly()
  async cardAuthorizations(
    @CurrentUser() caller: AuthUser,
    @Args() args: CardAuthorizationsArgs,
  ): Promise<CardAuthorizationConnection> {
    const page = await this.cards.listAuthorizations(caller, args.cardId, {
      first: args.first ?? 20,
      after: args.after,
    });
    return mapConnection(page, (view) => toCardAuthorizationModel(view.authorization, view.status));
  }
}
