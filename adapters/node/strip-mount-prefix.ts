/**
 * The path below a mount prefix ("/v1"), or undefined when `url` is not
 * under it. "/v1", "/v1/..." and "/v1?..." are under "/v1"; "/v10" is not.
 * Trailing slashes of the prefix do not count ("/v1/" is "/v1"), and an
 * empty prefix or "/" mounts at the root.
 */
export function stripMountPrefix(prefix: string, url: string): string | undefined {
  // Checked per call, cheaply: a prefix without a trailing slash (the usual one) costs no regex.
  if (prefix.endsWith("/")) prefix = prefix.replace(/\/+$/, "");
  if (!prefix) return url || "/";
  if (url !== prefix && !url.startsWith(`${prefix}/`) && !url.startsWith(`${prefix}?`)) return undefined;
  return url.slice(prefix.length) || "/";
}
