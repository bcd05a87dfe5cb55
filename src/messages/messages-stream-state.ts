import { eventFrame } from "./event-frame.js";

export type OpenBlock = { kind: "text" } | { kind: "thinking"; detail: number } | { kind: "tool"; tool: number };

/** Where a translated Anthropic stream is: the next block index and the block still open. */
export interface MessagesStreamState {
  started: boolean;
  next: number;
  open: OpenBlock | null;
  stopReason: string | null;
}

export function createStreamState(): MessagesStreamState {
  return { started: false, next: 0, open: null, stopReason: null };
}

/** Closes the open block (if any) and starts a new one; Anthropic blocks never interleave. */
export function openBlock(s: MessagesStreamState, block: OpenBlock, contentBlock: Record<string, unknown>): string {
  const out = closeBlock(s);
  s.open = block;
  return out + eventFrame({ type: "content_block_start", index: s.next, content_block: contentBlock } as { type: string });
}

export function closeBlock(s: MessagesStreamState): string {
  if (!s.open) return "";
  s.open = null;
  return eventFrame({ type: "content_block_stop", index: s.next++ } as { type: string });
}

export function blockDelta(s: MessagesStreamState, delta: Record<string, unknown>): string {
  return eventFrame({ type: "content_block_delta", index: s.next, delta } as { type: string });
}
