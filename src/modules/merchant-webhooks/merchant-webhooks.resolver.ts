import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { RequireScopes, Roles, SessionOnly } from '../../common/auth/roles.decorator';
import { Role } from '../users/role';
import { MerchantEventsArgs, WebhookDeliveriesArgs } from './dto/merchant-events.args';
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookEndpointsArgs,
} from './dto/webhook-endpoint.inputs';
import { MerchantEventConnection, toMerchantEventModel } from './models/merchant-event.model';
import {
  toWebhookDeliveryModel,
  WebhookDelivery,
  WebhookDeliveryConnection,
} from './models/webhook-delivery.model';
import {
  toWebhookEndpointModel,
  WebhookEndpoint,
  WebhookEndpointConnection,
  WebhookEndpointWithSecret,
} from './models/webhook-endpoint.model';
import { OutboxService } from './outbox.service';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookEndpointsService } from './webhook-endpoints.service';

@Resolver()
export class MerchantWebhooksResolver {
  constructor(
    private readonly endpointsService: WebhookEndpointsService,
    private readonly outboxService: OutboxService,
    private readonly deliveriesService: WebhookDeliveriesService,
  ) {}

  @Mutation(() => WebhookEndpointWithSecret, {
    description:
      'Registers a webhook endpoint for the caller’s merchant; the secret is shown once.',
  })
  @Roles(Role.MERCHANT)
  @SessionOnly()
  async createWebhookEndpoint(
    @CurrentUser() caller: AuthUser,
    @Args('input', { description: 'URL, event types and note.' }) input: CreateWebhookEndpointInput,
  ): Promise<WebhookEndpointWithSecret> {
    const { endpoint, secret } = await this.endpointsService.create(caller, input);
    return { endpoint: toWebhookEndpointModel(endpoint), secret };
  }

  @Query(() => WebhookEndpointConnection, {
    description: 'Webhook endpoints, newest first: a merchant’s own, or any merchant’s for staff.',
  })
  @Roles(Role.MERCHANT, Role.ADMIN, Role.SUPPORT)
  @SessionOnly()
  async webhookEndpoints(
    @CurrentUser() caller: AuthUser,
    @Args() args: WebhookEndpointsArgs,
  ): Promise<WebhookEndpointConnection> {
    const page = await this.endpointsService.list(
      caller,
      args.first ?? 20,
      args.after,
      args.merchantId,
    );
    return {
      ...page,
      edges: page.edges.map((edge) => ({
        cursor: edge.cursor,
        node: toWebhookEndpointModel(edge.node),
      })),
    };
  }

  @Mutation(() => WebhookEndpoint, {
    description: 'Changes a webhook endpoint’s URL, event types, note, or pauses/resumes it.',
  })
  @Roles(Role.MERCHANT)
  @SessionOnly()
  async updateWebhookEndpoint(
    @CurrentUser() caller: AuthUser,
    @Args('input', { description: 'The endpoint and its changes.' })
    input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpoint> {
    const { id, ...changes } = input;
    return toWebhookEndpointModel(await this.endpointsService.update(caller, id, changes));
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description:
      'Replaces an endpoint’s signing secret at once; the new secret is shown this once.',
  })
  @Roles(Role.MERCHANT)
  @SessionOnly()
  async rotateWebhookEndpointSecret(
    @CurrentUser() caller: AuthUser,
    @Args('id', { type: () => ID, description: 'The endpoint.' }, ParseUUIDPipe) id: string,
  ): Promise<WebhookEndpointWithSecret> {
    const { endpoint, secret } = await this.endpointsService.rotateSecret(caller, id);
    return { endpoint: toWebhookEndpointModel(endpoint), secret };
  }

  @Mutation(() => WebhookEndpoint, {
    description: 'Deletes a webhook endpoint with its delivery history; returns it as it was.',
  })
  @Roles(Role.MERCHANT)
  @SessionOnly()
  async deleteWebhookEndpoint(
    @CurrentUser() caller: AuthUser,
    @Args('id', { type: () => ID, description: 'The endpoint.' }, ParseUUIDPipe) id: string,
  ): Promise<WebhookEndpoint> {
    return toWebhookEndpointModel(await this.endpointsService.delete(caller, id));
  }

  @Query(() => MerchantEventConnection, {
    description:
      'Events about the merchant’s payments, refunds and orders, oldest first, to catch up on missed webhooks.',
  })
  @Roles(Role.MERCHANT, Role.ADMIN, Role.SUPPORT)
  @RequireScopes('merchant:read')
  async events(
    @CurrentUser() caller: AuthUser,
    @Args() args: MerchantEventsArgs,
  ): Promise<MerchantEventConnection> {
    const { first, after, ...filter } = args;
    const page = await this.outboxService.list(caller, filter, first ?? 20, after);
    return {
      ...page,
      edges: page.edges.map((edge) => ({
        cursor: edge.cursor,
        node: toMerchantEventModel(edge.node),
      })),
    };
  }

  @Query(() => WebhookDeliveryConnection, {
    description: 'Webhook deliveries with their attempt logs, newest first.',
  })
  @Roles(Role.MERCHANT, Role.ADMIN, Role.SUPPORT)
  @RequireScopes('merchant:read')
  async webhookDeliveries(
    @CurrentUser() caller: AuthUser,
    @Args() args: WebhookDeliveriesArgs,
  ): Promise<WebhookDeliveryConnection> {
    const { first, after, ...filter } = args;
    const page = await this.deliveriesService.list(caller, filter, first ?? 20, after);
    return {
      ...page,
      edges: page.edges.map((edge) => ({
        cursor: edge.cursor,
        node: toWebhookDeliveryModel(edge.node),
      })),
    };
  }

  @Mutation(() => [WebhookDelivery], {
    description:
      'Sends an event again now, with the same id and sequence: to one endpoint, or to every enabled endpoint that wants it.',
  })
  @Roles(Role.MERCHANT, Role.ADMIN)
  @SessionOnly()
  async replayWebhookEvent(
    @CurrentUser() caller: AuthUser,
    @Args('eventId', { type: () => ID, description: 'The event to send again.' }, ParseUUIDPipe)
    eventId: string,
    @Args('endpointId', {
      type: () => ID,
      nullable: true,
      description: 'Only to this endpoint; absent means every enabled endpoint that wants it.',
    })
    endpointId?: string,
  ): Promise<WebhookDelivery[]> {
    const deliveries = await this.deliveriesService.replay(caller, eventId, endpointId);
    return deliveries.map(toWebhookDeliveryModel);
  }
}
