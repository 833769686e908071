import { Module } from '@nestjs/common';
import { CoreModule } from './core.module';

/** The queue worker's modules: the core, plus each module's Bull processors as they are added. */
@Module({ imports: [CoreModule] })
export class WorkerModule {}
