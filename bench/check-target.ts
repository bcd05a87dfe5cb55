/**
 * One JSON and one streamed request before measuring: a target that
 * answers errors fast would otherwise look cheap. modelmux answers must
 * carry usage with a cost (the accounting ran).
 */
export async function checkTarget(name: string, url: string, headers: Record<string, string>, jsonBody: string, sseBody: string, accounted: boolean): Promise<void> {
  const res = await fetch(url, { method: "POST", headers, body: jsonBody });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${name}: JSON check got ${res.status}: ${text.slice(0, 300)}`);
  const json = JSON.parse(text) as { choices?: unknown[]; usage?: { total_tokens?: number; cost?: number } };
  if (!json.choices?.length || !json.usage?.total_tokens) throw new Error(`${name}: JSON check: no choices/usage in ${text.slice(0, 300)}`);
  if (accounted && typeof json.usage.cost !== "number") throw new Error(`${name}: JSON check: usage has no cost: ${text.slice(0, 300)}`);

  const sse = await fetch(url, { method: "POST", headers, body: sseBody });
  const stream = await sse.text();
  if (sse.status !== 200) throw new Error(`${name}: SSE check got ${sse.status}: ${stream.slice(0, 300)}`);
  const events = stream.split("\n\n").filter((e) => e.startsWith("data:"));
  if (events.at(-1) !== "data: [DONE]") throw new Error(`${name}: SSE check: no [DONE] at the end`);
  const last = JSON.parse(events.at(-2)!.slice(5)) as { usage?: { total_tokens?: number; cost?: number } };
  if (!last.usage?.total_tokens) throw new Error(`${name}: SSE check: last chunk has no usage`);
  if (accounted && typeof last.usage.cost !== "number") throw new Error(`${name}: SSE check: stream usage has no cost`);
}
