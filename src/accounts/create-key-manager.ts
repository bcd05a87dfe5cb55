import { nanoToUsd, usdToNano } from "../accounting/parse-usd.js";
import { invalidRequest, notFound } from "../errors/errors.js";
import { parseBody } from "../schemas/parse-body.js";
import type { KeyRecord } from "../stores/store.js";
import type { CreateKeyInput, KeyManager } from "./accounts.js";
import type { AccountsContext } from "./accounts-options.js";
import { createKeyInputSchema } from "./create-key-input-schema.js";
import { generateApiKey } from "./generate-api-key.js";
import { hashApiKey } from "./hash-api-key.js";
import { maskApiKey } from "./mask-api-key.js";
import { toMillis } from "./to-millis.js";
import { toPublicKey } from "./to-public-key.js";

/** gateway.keys: the secret is returned once by create(); the store only ever sees its hash. */
export function createKeyManager(ctx: AccountsContext, ready: () => Promise<void>): KeyManager {
  const { store } = ctx;
  const mustGet = async (id: string): Promise<KeyRecord> => {
    const key = await store.getKey(id);
    if (!key) throw notFound(`No API key with id '${id}'`, "key_not_found", "id");
    return key;
  };

  return {
    async create(input: CreateKeyInput = {}) {
      await ready();
      const parsed = parseBody(createKeyInputSchema, input);
      const expiresAt = toMillis(parsed.expiresAt);
      const now = ctx.now();
      const secret = generateApiKey(ctx.prefix, ctx.randomBytes);
      const record: KeyRecord = {
        id: ctx.generateId("key_"),
        hash: hashApiKey(secret),
        masked: maskApiKey(secret, ctx.prefix),
        name: parsed.name ?? "API key",
        createdAt: now,
        expiresAt,
        revokedAt: null,
        balanceNano: parsed.credits === undefined ? null : 0,
        limits: parsed.limits ?? {},
        models: parsed.models ?? null,
        metadata: parsed.metadata ?? {},
      };
      await store.insertKey(record);
      if (parsed.credits !== undefined && parsed.credits > 0) {
        const amountNano = usdToNano(parsed.credits);
        await store.credit({ id: ctx.generateId("cr_"), keyId: record.id, amountNano, reason: "initial credit", createdAt: now });
        record.balanceNano = amountNano;
      }
      return { key: secret, id: record.id, record: toPublicKey(record) };
    },

    async revoke(id) {
      await ready();
      const key = await mustGet(id);
      const updated = key.revokedAt === null ? await store.updateKey(id, { revokedAt: ctx.now() }) : key;
      ctx.keyCache.delete(key.hash);
      return toPublicKey(updated ?? key);
    },

    async get(id) {
      await ready();
      const key = await store.getKey(id);
      return key && toPublicKey(key);
    },

    async list(opts = {}) {
      await ready();
      const page = await store.listKeys(opts);
      return { keys: page.keys.map(toPublicKey), nextCursor: page.nextCursor };
    },

    async credit(id, usd, reason = "credit") {
      await ready();
      if (typeof usd !== "number" || !Number.isFinite(usd) || usd === 0) {
        throw invalidRequest("Invalid parameter 'amount': must be a non-zero number of USD", "amount");
      }
      const key = await mustGet(id);
      if (key.balanceNano === null) {
        throw invalidRequest(`Key '${id}' has no balance (it was created without credits, so it is unmetered)`, "amount");
      }
      const amountNano = usdToNano(usd);
      if (key.balanceNano + amountNano < 0) {
        throw invalidRequest(`Invalid parameter 'amount': the balance is only $${nanoToUsd(key.balanceNano)}`, "amount");
      }
      const result = await store.credit({ id: ctx.generateId("cr_"), keyId: id, amountNano, reason, createdAt: ctx.now() });
      return { balance: result.balanceNano === null ? null : nanoToUsd(result.balanceNano) };
    },
  };
}
