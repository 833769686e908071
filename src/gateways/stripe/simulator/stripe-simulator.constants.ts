import { SIMULATOR_PORTS } from '../../simulator-ports';

/** The Stripe simulator's port when none is given (each gateway simulator has its own). */
export const STRIPE_SIMULATOR_DEFAULT_PORT = SIMULATOR_PORTS.stripe;
