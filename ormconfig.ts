import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { readDatabaseConfig } from './src/config/database.config';
import { buildDataSourceOptions } from './src/database/data-source-options';

/** The DataSource the TypeORM CLI uses (`npm run migration:generate|run|revert`); the app builds the same options. */
export default new DataSource(buildDataSourceOptions(readDatabaseConfig()));
