import type { Cancel } from "./cancel.js";

/**
 * One `signal` getter for every object that carries a `cancel`: defined on
 * the object with this descriptor, it keeps the object's hidden class
 * shared. A getter written in an object literal is a new function each
 * time, and on node 20 it turned every such object into a dictionary
 * (`node --log-maps`: "Normalize AccessorsOverwritingNonLast", once per
 * object), so every read of its other fields was a hash lookup.
 */
const SIGNAL_FROM_CANCEL: PropertyDescriptor = {
  get(this: { cancel: Cancel }): AbortSignal {
    return this.cancel.signal;
  },
  enumerable: true,
  configurable: true,
};

/** `o` with a `signal` that is `o.cancel`'s, made only when read. */
export function defineLazySignal<T extends { cancel: Cancel }>(o: T): T & { readonly signal: AbortSignal } {
  return Object.defineProperty(o, "signal", SIGNAL_FROM_CANCEL) as T & { readonly signal: AbortSignal };
}
