const EXACT = new Set(["/chat/completions", "/completions", "/messages", "/embeddings", "/models", "/key", "/generation", "/admin"]);
const PREFIXES = ["/models/", "/admin/", "/native/"];

/**
 * Whether a path below the mount belongs to the gateway. Adapters ask this
 * before reading a body, so the host's own routes beside the gateway get
 * their request untouched.
 */
export function ownsPath(path: string): boolean {
  const q = path.indexOf("?");
  const p = (q === -1 ? path : path.slice(0, q)).replace(/\/+$/, "") || "/";
  return EXACT.has(p) || PREFIXES.some((prefix) => p.startsWith(prefix));
}
