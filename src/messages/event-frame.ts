/**
 * One Anthropic SSE event: an `event:` line naming the type, then the JSON
 * (https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types).
 */
export function eventFrame(payload: { type: string }): string {
  return `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}
