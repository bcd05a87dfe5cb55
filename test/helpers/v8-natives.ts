/**
 * V8's own checks on hidden classes, for a process started with
 * `node --allow-natives-syntax` (a child of a test, or the bench's
 * `bench:shared-maps`). Natives syntax is not TypeScript: the functions are
 * compiled at run time, where the flag allows it (elsewhere they throw a
 * SyntaxError when this module loads).
 */
export const sameMap = new Function("a", "b", "return %HaveSameMap(a, b)") as (a: unknown, b: unknown) => boolean;

/** Not a dictionary: the object has fast properties. */
export const fastProperties = new Function("o", "return %HasFastProperties(o)") as (o: unknown) => boolean;
