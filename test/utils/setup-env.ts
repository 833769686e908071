import 'reflect-metadata';
import { applyTestEnvironment } from './test-env';

applyTestEnvironment();
