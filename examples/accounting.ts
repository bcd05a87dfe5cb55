/**
 * Keys, credits and the 402: `npx tsx examples/accounting.ts`.
 * A key with a few cents runs out on a priced model and gets a 402,
 * while a free model keeps working at zero balance.
 */
import { createGateway } from "modelmux";

const gateway = createGateway({ providers: { mock: { type: "mock" } }, store: ":memory:" });
const { key, id } = await gateway.keys.create({ name: "demo", credits: 0.0001 });
const ask = (model: string) =>
  gateway.handle({
    method: "POST",
    path: "/chat/completions",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: { model, max_tokens: 20, messages: [{ role: "user", content: "Count my money" }] },
  });

for (let i = 1; i <= 6; i++) {
  const res = await ask("mock/echo-priced");
  const body = (res as { body: { usage?: { cost: number }; error?: { code: string } } }).body;
  console.log(`priced call ${i}: ${(res as { status: number }).status} ${body.error ? body.error.code : `cost $${body.usage?.cost}`}`);
}
const free = await ask("mock/echo");
console.log(`free model at low balance: ${(free as { status: number }).status}`);
console.log("key now:", await gateway.keys.get(id));
await gateway.keys.credit(id, 1, "top-up");
console.log("after top-up:", (await gateway.keys.get(id))?.balance);
await gateway.close();
