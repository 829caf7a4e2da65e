/**
 * The circuit (the breaker table's item) guarding the payment gateway: the one source of the id for infra (which
 * sets `PAYMENT_GATEWAY_CIRCUIT_ID`), billing (its default) and the tools and tests that read or force the circuit.
 */
export const PAYMENT_GATEWAY_CIRCUIT_ID = 'payment-gateway';
