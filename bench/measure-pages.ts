/**
 * What a page of the admin lists costs in a store of a given size: the
 * first and the last page of keys, and the newest and the oldest page of
 * usage records (100 rows each, the median of 15 reads), through the built
 * package's SQLite store opened on the file a bench server wrote. Keyset
 * pagination reads a page as a range on an index, so neither the number
 * of rows nor the depth of the page should show in its time.
 */
import Database from "better-sqlite3";
import { createSqliteStore } from "modelmux";
import { encodeCursor } from "../src/stores/encode-cursor.js";
import { median } from "./stats.js";

export interface PageTimes {
  keys: number;
  usageRows: number;
  /** Milliseconds per page read. */
  firstKeys: number;
  lastKeys: number;
  newestUsage: number;
  oldestUsage: number;
}

const PAGE = 100;
const READS = 15;

async function timed(read: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < READS; i++) {
    const started = performance.now();
    await read();
    times.push(performance.now() - started);
  }
  return median(times);
}

export async function measurePages(path: string): Promise<PageTimes> {
  // The cursors of the deepest pages: the row just before the last PAGE rows of each list.
  const db = new Database(path, { readonly: true, fileMustExist: true });
  type Edge = { created_at: number; id: string } | undefined;
  let keys: number, usageRows: number, lastKey: Edge, oldestUsage: Edge;
  try {
    keys = (db.prepare("SELECT COUNT(*) AS n FROM keys").get() as { n: number }).n;
    usageRows = (db.prepare("SELECT COUNT(*) AS n FROM usage").get() as { n: number }).n;
    lastKey = db.prepare("SELECT created_at, id FROM keys ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?").get(PAGE) as Edge;
    oldestUsage = db.prepare("SELECT created_at, id FROM usage ORDER BY created_at, id LIMIT 1 OFFSET ?").get(PAGE) as Edge;
  } finally {
    db.close();
  }
  const store = createSqliteStore(path, { checkpointIntervalMs: 0 });
  await store.init();
  try {
    const after = (edge: Edge) => (edge ? encodeCursor(edge.created_at, edge.id) : undefined);
    return {
      keys,
      usageRows,
      firstKeys: await timed(() => store.listKeys({ limit: PAGE })),
      lastKeys: await timed(() => store.listKeys({ limit: PAGE, cursor: after(lastKey) })),
      newestUsage: await timed(() => store.listUsage({ limit: PAGE })),
      oldestUsage: await timed(() => store.listUsage({ limit: PAGE, cursor: after(oldestUsage) })),
    };
  } finally {
    await store.close();
  }
}
