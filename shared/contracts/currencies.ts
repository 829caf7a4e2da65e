import * as z from './zod';

/**
 * ISO 4217 alphabetic codes of the currencies in circulation (List One, as of 2026): what an order may be priced in.
 * Left out on purpose: fund and accounting codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW), precious metals,
 * SDR and testing codes (X-prefixed except the circulating XAF, XCD, XCG, XOF, XPF), and codes withdrawn from
 * circulation (ANG → XCG, BGN → EUR in 2026, CUC, HRK, SLL → SLE, VEF, ZWL → ZWG).
 */
export const ISO_4217_CURRENCIES: readonly string[] = (
  'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND ' +
  'BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE ' +
  'CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD ' +
  'GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY ' +
  'KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD ' +
  'MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO ' +
  'NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF ' +
  'SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB ' +
  'TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND ' +
  'VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG'
).split(' ');

const circulating: ReadonlySet<string> = new Set(ISO_4217_CURRENCIES);

/** Whether `code` is one of {@link ISO_4217_CURRENCIES}. */
export const isIso4217Currency = (code: string): boolean => circulating.has(code);

/**
 * A currency of an order or a payment: an ISO 4217 code in circulation, upper case. Typed as a string (a refinement,
 * not an enum), so that data types stay plain strings while every parse checks the list.
 */
export const currencySchema = z.string().check(
  z.refine(isIso4217Currency, {
    error: 'must be an ISO 4217 currency code in circulation, in upper case (e.g. EUR)',
  }),
);
