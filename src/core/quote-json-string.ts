/** A string that JSON writes as it is, between quotes: no quote, backslash, control character or surrogate. */
// eslint-disable-next-line no-control-regex -- the control characters JSON escapes are what it looks for
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/**
 * `JSON.stringify(s)` for a string, the same text: most strings need no
 * escape and are only quoted. JSON.stringify is a C++ builtin, and entering
 * it cost more than the test (`npm run bench:instructions`) for the short
 * strings of a usage record or a stream's id and model.
 */
export function quoteJsonString(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}
