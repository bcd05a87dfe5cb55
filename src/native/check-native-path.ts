import { invalidRequest } from "../errors/errors.js";

/** RFC 3986 path characters, minus `%`: nothing encoded can hide a `/`, `\` or `..`. */
const SEGMENT = /^[A-Za-z0-9._~!$&'()*+,;=:@-]+$/;

/**
 * The path segments after `/native/`, or a 400. Refused outright: percent
 * signs (%2F, %2e%2e, double encoding), backslashes, empty segments (`//host`),
 * `.` and `..`, and anything outside RFC 3986 path characters, so the path
 * can only ever name something below the provider's own base URL.
 */
export function checkNativePath(pathname: string): string[] {
  if (!pathname.startsWith("/native/")) throw invalidRequest("Not a native path", "path");
  const segments = pathname.slice("/native/".length).replace(/\/$/, "").split("/");
  for (const s of segments) {
    if (!SEGMENT.test(s) || s === "." || s === "..") throw invalidRequest("The native path contains characters or segments that are not allowed", "path");
  }
  return segments;
}
