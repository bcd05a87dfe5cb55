function returnThis<T>(this: T): T {
  return this;
}

/**
 * `iterator`, made iterable as itself. The method is added to the finished
 * object, not written in its literal: a computed method key in an object
 * literal is defined through the engine's runtime, and names a new
 * function, each time the literal runs (about 3,000 instructions a
 * request for each of the two stream iterators, by `npm run
 * bench:instructions`); a store of one shared function is a plain
 * property store.
 */
export function asAsyncIterable<T, R = unknown>(iterator: AsyncIterator<T, R>): AsyncIterableIterator<T> {
  const iterable = iterator as AsyncIterator<T, R> & { [Symbol.asyncIterator]: () => unknown };
  iterable[Symbol.asyncIterator] = returnThis;
  return iterable as unknown as AsyncIterableIterator<T>;
}
