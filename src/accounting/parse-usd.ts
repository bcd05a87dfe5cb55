/**
 * Money is never summed in floating point. Prices (USD per 1M tokens, as
 * decimal strings) become integers scaled by 1e12 ("price units"); costs and
 * balances are integer nano-USD.
 */
export const NANO_PER_USD = 1_000_000_000;

/** Parses a decimal USD string exactly into an integer scaled by 10^scale. */
export function parseDecimal(value: string, scale: number): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new Error(`not a decimal amount: "${value}"`);
  const whole = match[1] ?? "0";
  const frac = (match[2] ?? "").padEnd(scale, "0");
  if (frac.length > scale) throw new Error(`too many decimals in "${value}" (at most ${scale})`);
  return BigInt(whole) * 10n ** BigInt(scale) + BigInt(frac || "0");
}

/** USD (number or decimal string) to integer nano-USD, rounded to the nearest nano. */
export function usdToNano(usd: number | string): number {
  const text = typeof usd === "number" ? usd.toFixed(9) : usd;
  const negative = text.startsWith("-");
  const nano = Number(parseDecimal(negative ? text.slice(1) : text, 9));
  return negative ? -nano : nano;
}

/** Integer nano-USD to a USD number for the wire (exact to 9 decimals). */
export function nanoToUsd(nano: number): number {
  // A whole number of nano-USD divides exactly to the nearest double of its 9-decimal value, which is what
  // the string round trip gives too (tested); the round trip is kept for anything else.
  return Number.isSafeInteger(nano) ? nano / NANO_PER_USD + 0 : Number((nano / NANO_PER_USD).toFixed(9)); // + 0: no -0
}
