/**
 * The largest amount the payment gateway charges at once, in minor units (99,999,999: 999,999.99 in a two-decimal
 * currency, the common ceiling of card gateways and the fake gateway's). The orders API refuses larger orders with a
 * 400 (`PAYMENT_GATEWAY_MAX_AMOUNT_CENTS` overrides it) instead of accepting them and failing the payment later.
 */
export const DEFAULT_GATEWAY_MAX_AMOUNT_CENTS = 99_999_999;
