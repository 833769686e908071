import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { RequireScopes, Roles } from '../../common/auth/roles.decorator';
import { Role } from '../users/role';
import { CreateOrderInput, OrdersArgs } from './dto/orders.inputs';
import { Order, OrderConnection, toOrderModel } from './models/order.model';
import { OrdersService } from './orders.service';

@Resolver(() => Order)
export class OrdersResolver {
  constructor(private readonly ordersService: OrdersService) {}

  @Mutation(() => Order, { description: 'Creates an order for the caller’s merchant.' })
  @Roles(Role.MERCHANT)
  @RequireScopes('orders:write')
  async createOrder(
    @CurrentUser() caller: AuthUser,
    @Args('input', { description: 'Currency, lines and optional customer.' })
    input: CreateOrderInput,
  ): Promise<Order> {
    return toOrderModel(await this.ordersService.create(caller, input));
  }

  @Query(() => Order, { description: 'One order the caller may see.' })
  @Roles(Role.CUSTOMER, Role.MERCHANT, Role.SUPPORT, Role.ADMIN)
  @RequireScopes('orders:read')
  async order(
    @CurrentUser() caller: AuthUser,
    @Args('id', { type: () => ID, description: 'The order id.' }, ParseUUIDPipe) id: string,
  ): Promise<Order> {
    return toOrderModel(await this.ordersService.findVisibleOrThrow(caller, id));
  }

  @Query(() => OrderConnection, {
    description: 'Orders, newest first: a customer’s own, a merchant’s own, or all for staff.',
  })
  @Roles(Role.CUSTOMER, Role.MERCHANT, Role.SUPPORT, Role.ADMIN)
  @RequireScopes('orders:read')
  async orders(
    @CurrentUser() caller: AuthUser,
    @Args() args: OrdersArgs,
  ): Promise<OrderConnection> {
    const page = await this.ordersService.list(caller, {
      status: args.status,
      first: args.first ?? 20,
      after: args.after,
    });
    return {
      ...page,
      edges: page.edges.map((e) => ({ cursor: e.cursor, node: toOrderModel(e.node) })),
    };
  }
}
