import { randomFillSync } from "node:crypto";

const RANDOM_BYTES = 12;
const POOL_BYTES = RANDOM_BYTES * 256;

const HEX = "0123456789abcdef";
const TWO_24 = 0x1000000;

/**
 * `t.toString(16).padStart(12, "0")` for a whole number of milliseconds
 * below 2^48 (the year 10889), digit by digit: Number#toString with a radix
 * is a call into the engine's runtime, about 2,700 instructions (`npm run
 * bench:instructions`), and a request makes two ids.
 */
function hex12(t: number): string {
  if (!(t >= 0 && t < TWO_24 * TWO_24 && Number.isInteger(t))) return t.toString(16).padStart(12, "0");
  const high = Math.floor(t / TWO_24);
  const low = t - high * TWO_24;
  let out = "";
  for (let shift = 20; shift >= 0; shift -= 4) out += HEX[(high >>> shift) & 15];
  for (let shift = 20; shift >= 0; shift -= 4) out += HEX[(low >>> shift) & 15];
  return out;
}

/**
 * Ids like `gen-0194a3f2c1d08mP2...`: the time in milliseconds (12 hex
 * digits, so ids sort by creation) and 96 random bits, base64url. Ids made
 * close together share their prefix, so the usage log's primary-key index
 * takes each new row on the same few pages instead of a random one (a page
 * write per request saved). The random bytes come from a pool refilled 256
 * ids at a time, since a randomBytes call per id showed at 4% of the
 * per-request CPU in the benchmark profile.
 */
export function createIdGenerator(now: () => number = Date.now): (prefix: string) => string {
  const pool = Buffer.allocUnsafe(POOL_BYTES);
  let offset = POOL_BYTES;
  return (prefix) => {
    if (offset === POOL_BYTES) {
      randomFillSync(pool);
      offset = 0;
    }
    const random = pool.toString("base64url", offset, offset + RANDOM_BYTES);
    offset += RANDOM_BYTES;
    return `${prefix}-${hex12(now())}${random}`;
  };
}
