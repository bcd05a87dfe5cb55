import { createMemoryStore } from "../../src/stores/memory-store.js";
import { runStoreContract } from "./store-contract.js";

runStoreContract("memory", async () => createMemoryStore());
