/** Display form of a secret: the prefix and a few characters each end, e.g. "mm_4fQx…Zt9a". */
export function maskApiKey(secret: string, prefix = ""): string {
  const body = secret.startsWith(prefix) ? secret.slice(prefix.length) : secret;
  if (body.length <= 8) return `${prefix}…`;
  return `${prefix}${body.slice(0, 4)}…${body.slice(-4)}`;
}
