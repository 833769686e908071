import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { ORDER_ENTITIES } from './orders.entities';
import { ordersConfig } from './orders.config';
import { OrdersResolver } from './orders.resolver';
import { OrdersService } from './orders.service';

/** Orders and their lines. Payments (which depend on this module) move their status. */
@Module({
  imports: [
    TypeOrmModule.forFeature(ORDER_ENTITIES),
    ConfigModule.forFeature(ordersConfig),
    UsersModule,
  ],
  providers: [OrdersService, OrdersResolver],
  exports: [OrdersService],
})
export class OrdersModule {}
