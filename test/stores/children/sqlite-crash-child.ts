/**
 * An SQLite-backed gateway process that admits a request through Accounts
 * (hold + pending record), says so, then hangs until SIGKILLed.
 * argv: dbPath key generationId ttlMs writeBehindMs. It says so once the
 * write-behind window has passed (what the store promises to have written).
 */
import { createAccounts } from "../../../src/accounts/create-accounts.js";
import { createSqliteStore } from "../../../src/stores/sqlite-store.js";
import { makeModel } from "../../accounts/helpers.js";

const [path, key, generationId, ttl, writeBehindMs] = process.argv.slice(2);
const accounts = createAccounts({ store: createSqliteStore(path!, { writeBehindMs: Number(writeBehindMs) }), reservationTtlMs: Number(ttl), reconcileIntervalMs: 0 });
const principal = await accounts.authenticate({ method: "POST", path: "/chat/completions", headers: { authorization: `Bearer ${key}` } });
await accounts.admit({ principal, model: makeModel(), maxCostNano: 800_000_000, estimatedTokens: 10, requestId: "req_1", generationId, endpoint: "/chat/completions" });
if (Number(writeBehindMs) > 0) await new Promise((resolve) => setTimeout(resolve, Number(writeBehindMs) + 20));
process.stdout.write("admitted\n");
setInterval(() => {}, 1_000);
