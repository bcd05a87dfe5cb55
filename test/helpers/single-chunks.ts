import type { StreamItem } from "../../src/providers/provider.js";

/** A provider stream one chunk at a time (batches, which only some providers yield, flattened). */
export async function* singleChunks<T>(items: AsyncIterable<StreamItem<T>>): AsyncGenerator<T> {
  for await (const item of items) {
    if (Array.isArray(item)) yield* item;
    else yield item;
  }
}
