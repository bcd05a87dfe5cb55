/**
 * The path below a mount prefix ("/v1"), or undefined when `url` is not
 * under it. "/v1", "/v1/..." and "/v1?..." are under "/v1"; "/v10" is not.
 * An empty prefix mounts at the root.
 */
export function stripMountPrefix(prefix: string, url: string): string | undefined {
  if (!prefix) return url || "/";
  if (url !== prefix && !url.startsWith(`${prefix}/`) && !url.startsWith(`${prefix}?`)) return undefined;
  return url.slice(prefix.length) || "/";
}
