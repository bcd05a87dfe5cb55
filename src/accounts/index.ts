export type { Accounts, Admission, AdmitInput, CreateKeyInput, KeyManager, Principal, PublicKey } from "./accounts.js";
export type { AccountsHooks, AccountsOptions, ExternalIdentity, HookErrorContext } from "./accounts-options.js";
export { createAccounts } from "./create-accounts.js";
export { formatUsageRecord } from "./format-usage-record.js";
export { generateApiKey } from "./generate-api-key.js";
export { hashApiKey } from "./hash-api-key.js";
export { runHookBounded, type HookOutcome } from "./run-hook-bounded.js";
