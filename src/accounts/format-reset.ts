/** x-ratelimit-reset-* value in OpenAI's duration style ("1s", "59s", "2m0s"). */
export function formatReset(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}
