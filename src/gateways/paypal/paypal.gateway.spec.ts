import { runGatewayContract } from '../../../test/utils/gateway-contract';
import { createPaypalHarness } from './__fixtures__/paypal.harness';

runGatewayContract('paypal', createPaypalHarness());
