import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { buildUsageWhere } from "./build-usage-where.js";
import { clampPageLimit } from "./clamp-page-limit.js";
import { decodeCursor, encodeCursor } from "./encode-cursor.js";
import { encodeUsageRecord } from "./encode-usage-record.js";
import { invalidCursor } from "./invalid-cursor.js";
import { fromJson, rowToKey } from "./row-to-key.js";
import { sqliteMigrations } from "./sqlite-migrations.js";
import { startCheckpointer, type Checkpointer } from "./start-checkpointer.js";
import { ABANDONED_ERROR_CODE, type Store, type UsageRecord } from "./store.js";
import { windowStart } from "./window-start.js";

type Row = Record<string, unknown>;

/** Most operations one group commit takes; the rest go in the next transaction of the same flush. */
const MAX_BATCH = 256;

const isBusy = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
};

interface QueuedWrite {
  work: () => unknown;
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
  /** Written behind: nobody awaits the commit. */
  behind: boolean;
  /** Runs once the write is in the file (or failed): it no longer needs counting in memory. */
  landed?: () => void;
  /** In a transaction already: too late to cancel. */
  taken?: boolean;
}

const noop = () => undefined;

/** Every open store's pending writes, flushed when the process exits normally (better-sqlite3 is synchronous, so it can). */
const liveStores = new Set<{ flush: () => void }>();
let exitHooked = false;
const hookExit = () => {
  if (exitHooked) return;
  exitHooked = true;
  process.once("exit", () => {
    for (const store of liveStores) {
      try {
        store.flush();
      } catch {
        /* exiting: nothing left to tell */
      }
    }
  });
};

/**
 * The embedded store (the default for `npm start`): one SQLite file in WAL
 * mode. Money moves inside IMMEDIATE transactions, which take the write lock
 * up front, so reserve/settle stay atomic even with several processes on
 * one file.
 *
 * Group commit: writes are queued and run together, in the order they
 * were issued, in ONE IMMEDIATE transaction. Each operation still runs its
 * own checks against everything the operations before it wrote, so the
 * result is exactly that of running them one by one. If any operation
 * throws, the whole transaction is rolled back and every operation of the
 * batch is rerun in a transaction of its own, so one failure never affects
 * another caller.
 *
 * Writes behind (the default, `writeBehindMs` 10): a request's hold, its
 * settle (usage record, charge), its rate-limit counts and its concurrency
 * slot need no answer from the file, so they are committed together with
 * the writes of the requests around them, within writeBehindMs: on a quiet
 * server a request costs a fraction of a commit instead of two to five,
 * and a key with limits does not wait for a commit before its upstream
 * call. The balance, window and slot checks stay exact in this process:
 * they count what is not written yet on top of what the file says, and
 * every read flushes the queue first. What it costs: processes sharing the
 * file see each other's holds, charges, credits, counts and slots up to
 * writeBehindMs late (so together they may briefly go past a limit), and a
 * process killed inside that window loses them (a write behind that fails
 * is reported through onWriteError, and one blocked by another process's
 * lock is kept and retried). `writeBehindMs: 0` commits each write before
 * its promise resolves; state writes always do, one transaction per turn
 * of the event loop.
 *
 * A reservation row carries its pending usage record (JSON): the usage row
 * is written once, by settle, or by reconcile (as "abandoned") when the
 * request never settled. getUsage answers the pending record from the
 * reservation in the meantime.
 */
export interface SqliteStoreOptions {
  now?: () => number;
  busyTimeoutMs?: number;
  /**
   * SQLite's own checkpoint threshold (WAL frames), which runs inside a
   * commit: 10,000 without the checkpoint thread; 4,000 beside it, as a
   * backstop that finds the pages already copied and only starts the WAL
   * over, for when a busy writer keeps the thread from doing it.
   */
  walAutocheckpointPages?: number;
  /**
   * How often a worker thread copies the WAL back into the database file
   * (default 500 ms; 0: SQLite checkpoints by itself, inside a commit, on
   * the event loop). Much shorter intervals against a writer that never
   * pauses collide with SQLite's own backstop and let the WAL grow larger.
   */
  checkpointIntervalMs?: number;
  /**
   * Longest time a hold, a settle (usage record and charge), a rate-limit
   * count or a concurrency slot (taken or released) waits to be committed
   * together with the writes around it
   * (default 10 ms; 0: each is committed before its promise resolves).
   * Reads in this process always see them; another process sees them up to
   * this late, and a process killed inside the window loses them.
   */
  writeBehindMs?: number;
  /** Where a write behind that failed, or a failed checkpoint thread, is reported (nobody waits for them). Default: a process warning. */
  onWriteError?: (error: unknown) => void;
}

export function createSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const clock = options.now ?? Date.now;
  const writeBehindMs = options.writeBehindMs ?? 10;
  const warn = (what: string) => (error: unknown) => process.emitWarning(`modelmux: ${what}: ${error instanceof Error ? error.message : String(error)}`);
  const reportBehind = options.onWriteError ?? warn("a usage write to the SQLite store failed");
  const reportCheckpointer = options.onWriteError ?? warn("the SQLite checkpoint thread failed; SQLite checkpoints by itself from now on");
  hookExit();
  const db = new Database(path);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  if (path !== ":memory:") db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  // Each checkpoint copies the WAL's distinct pages back into the database on the event loop: with group
  // commit the hot pages (a key row, the reservations and usage tails) repeat from frame to frame, so a
  // larger WAL between checkpoints means far fewer page copies per request.
  db.pragma(`wal_autocheckpoint = ${options.walAutocheckpointPages ?? 10_000}`);
  // Checkpoints off the event loop: a worker thread copies the WAL back; SQLite's own (inside a commit) is
  // the fallback if the thread cannot run.
  const checkpointEvery = path === ":memory:" ? 0 : (options.checkpointIntervalMs ?? 500);
  let checkpointer: Checkpointer | undefined;
  if (checkpointEvery > 0) {
    db.pragma(`wal_autocheckpoint = ${options.walAutocheckpointPages ?? 4000}`);
    const fallBack = (error: unknown) => {
      if (db.open) db.pragma(`wal_autocheckpoint = ${options.walAutocheckpointPages ?? 10_000}`);
      reportCheckpointer(error);
    };
    checkpointer = startCheckpointer(path, checkpointEvery, fallBack);
  }
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);

  const migrate = () => {
    db.transaction(() => {
      // Read inside the write lock: two processes opening one file at once must not both migrate.
      const version = Number(db.pragma("user_version", { simple: true }));
      sqliteMigrations.slice(version).forEach((sql) => db.exec(sql));
      db.pragma(`user_version = ${sqliteMigrations.length}`);
    }).immediate();
  };
  let migrated = false;
  const prepared = new Map<string, Database.Statement>();
  const sql = (text: string): Database.Statement => {
    let statement = prepared.get(text);
    if (!statement) prepared.set(text, (statement = db.prepare(text)));
    return statement;
  };
  const one = (text: string, ...params: unknown[]) => sql(text).get(...params) as Row | undefined;
  const all = (text: string, ...params: unknown[]) => sql(text).all(...params) as Row[];
  const run = (text: string, ...params: unknown[]) => sql(text).run(...params);

  // The statements of the per-request path, prepared once (after the migrations, which they depend on).
  const prepareHot = () => ({
    // The balance and what is held against it, in one statement (one read transaction, one shm lock):
    // the key's running total of holds (migration 3), less its holds that expired and await reconcile
    // (an index probe that finds none, normally), so the check costs the same with 1 or 1,000 requests live.
    // With it, when the key's next hold expires (null: none), for how long a copy of the figures stays true.
    funds: db.prepare(
      `SELECT balance_nano AS balance, held_nano AS heldNano,
         (SELECT COALESCE(SUM(amount_nano), 0) FROM reservations WHERE key_id = keys.id AND expires_at <= ?) AS expired,
         (SELECT MIN(expires_at) FROM reservations WHERE key_id = keys.id AND expires_at > ?) AS nextExpiry
       FROM keys WHERE id = ?`,
    ),
    // Changes when another connection commits to the file (not with this one's own commits).
    dataVersion: db.prepare("PRAGMA data_version").pluck(),
    // A fresh id (the usual case) is one statement; `changes` 0 means the id is taken and must be replaced.
    hold: db.prepare("INSERT INTO reservations (id, key_id, amount_nano, expires_at, usage_id, pending) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"),
    drop: db.prepare("DELETE FROM reservations WHERE id = ? RETURNING usage_id, key_id, amount_nano"),
    holdTotal: db.prepare("UPDATE keys SET held_nano = held_nano + ? WHERE id = ?"),
    dropUnsettled: db.prepare("DELETE FROM usage WHERE id = ? AND settled = 0"),
    // Writes the record unless a settled one is there already: `changes` says whether this call won.
    writeUnsettled: db.prepare(
      `INSERT INTO usage (id, key_id, requested_model, model, created_at, cost_nano, total_tokens, settled, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET key_id = excluded.key_id, requested_model = excluded.requested_model, model = excluded.model,
         created_at = excluded.created_at, cost_nano = excluded.cost_nano, total_tokens = excluded.total_tokens, settled = excluded.settled, record = excluded.record
       WHERE usage.settled = 0`,
    ),
    charge: db.prepare("UPDATE keys SET balance_nano = balance_nano - MIN(?, MAX(balance_nano, 0)) WHERE id = ? AND balance_nano IS NOT NULL"),
    window: db.prepare(
      `INSERT INTO windows (name, start, total) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET total = CASE WHEN start = excluded.start THEN total + excluded.total ELSE excluded.total END, start = excluded.start
       RETURNING total`,
    ).pluck(),
    windowNow: db.prepare("SELECT start, total FROM windows WHERE name = ?"),
    slotCount: db.prepare("SELECT COUNT(*) FROM slots WHERE name = ? AND expires_at > ?").pluck(),
  });
  let hotStatements: ReturnType<typeof prepareHot> | undefined;
  const hot = () => (hotStatements ??= prepareHot());

  const getKey = (id: string) => {
    const row = one("SELECT * FROM keys WHERE id = ?", id);
    return row && rowToKey(row);
  };
  const writeUsage = (r: UsageRecord, settled: boolean) =>
    hot().writeUnsettled.run(r.id, r.keyId, r.requestedModel, r.model, r.createdAt, r.costNano, r.totalTokens, settled ? 1 : 0, JSON.stringify(r)).changes > 0;

  /**
   * The keys-table updates of the transaction under way (holds taken and
   * released, charges), summed per key and written once at its end
   * (`applyKeyDeltas`): a batch of many requests on one key costs one
   * UPDATE, not four per request. Charges sum exactly: each is clamped at
   * a balance of 0, and so is their sum. Anything that reads a key's funds
   * inside the transaction applies them first.
   */
  const keyDeltas = new Map<string, { held: number; charge: number }>();
  const addKeyDelta = (keyId: string, held: number, charge: number) => {
    const d = keyDeltas.get(keyId);
    if (d) {
      d.held += held;
      d.charge += charge;
    } else keyDeltas.set(keyId, { held, charge });
  };
  /**
   * The key updates the transaction under way wrote, in order, and the
   * earliest expiry of the holds it inserted per key: once it has
   * committed, `mirrorCommitted` applies them to the funds kept in memory.
   * Started over by every keyed transaction.
   */
  let written: Array<{ keyId: string; held: number; charge: number }> = [];
  const heldUntil = new Map<string, number>();
  const applyKeyDeltas = () => {
    if (keyDeltas.size === 0) return;
    const h = hot();
    for (const [keyId, d] of keyDeltas) {
      if (d.held !== 0) h.holdTotal.run(d.held, keyId);
      if (d.charge > 0) h.charge.run(d.charge, keyId);
      written.push({ keyId, held: d.held, charge: d.charge });
    }
    keyDeltas.clear();
  };
  /** A transaction whose key updates are summed and written at its end (dropped with it if it throws). */
  const keyedTransaction = <A extends unknown[], R>(work: (...args: A) => R) =>
    db.transaction((...args: A): R => {
      written = [];
      heldUntil.clear();
      try {
        const result = work(...args);
        applyKeyDeltas();
        return result;
      } finally {
        keyDeltas.clear();
      }
    });

  type Funds = { balance: number | null; held: number };
  /**
   * With writes behind, a key's funds as read from the file (the balance,
   * and the holds less those expired then), so that a request need not
   * read them: trusted as they are for writeBehindMs (what another process
   * writes is seen that late anyway), then for as long as SQLite's
   * data_version says no other connection has committed since they were
   * read, until the key's next hold expires (`validBefore`, in the store's
   * clock). This process's own commits are applied to them as they land
   * (`mirrorCommitted`), with the same arithmetic as the SQL. Figures read
   * while an expired hold was still in the file are dropped at the next
   * commit for their key instead: releasing that hold would take it off a
   * second time. What this process has not written yet is counted on top
   * (`unwritten`).
   */
  interface KeptFunds extends Funds {
    until: number;
    version: number;
    validBefore: number;
    mirrored: boolean;
  }
  const fundsRead = new Map<string, KeptFunds>();
  /** Reads a key's funds from the file; with `cached`, keeps them, under `version` when the caller has just read it. */
  const readFunds = (keyId: string, now: number, cached: boolean, version?: number): Funds | undefined => {
    applyKeyDeltas();
    const h = hot();
    // The version first: a commit between the two reads only makes the next check read again.
    if (cached) version ??= h.dataVersion.get() as number;
    const row = h.funds.get(now, now, keyId) as { balance: number | null; heldNano: number; expired: number; nextExpiry: number | null } | undefined;
    if (row === undefined) return undefined;
    const funds = { balance: row.balance, held: row.heldNano - row.expired };
    if (cached) fundsRead.set(keyId, { ...funds, until: performance.now() + writeBehindMs, version: version!, validBefore: row.nextExpiry ?? Infinity, mirrored: row.expired === 0 });
    return funds;
  };
  /** What a reservation may take: null without a limit (no key, or a key without a balance). */
  const availableFor = (keyId: string | null, amountNano: number, now: number, pendingNano: number, cached: boolean): number | null => {
    if (keyId === null) return null;
    const kept = cached ? fundsRead.get(keyId) : undefined;
    let row: Funds | undefined = kept;
    // Past writeBehindMs, the version is read once: it either keeps the figures or is kept with the new ones.
    let version: number | undefined;
    if (kept !== undefined) {
      const at = performance.now();
      if (now >= kept.validBefore) row = undefined;
      else if (kept.until <= at) {
        version = hot().dataVersion.get() as number;
        if (version === kept.version) kept.until = at + writeBehindMs;
        else row = undefined;
      }
    }
    row ??= readFunds(keyId, now, cached, version);
    if (row === undefined) return amountNano > 0 ? 0 : null;
    return row.balance === null ? null : row.balance - row.held - pendingNano;
  };
  /** After a commit: what it wrote to each key, applied to the funds kept in memory (see fundsRead). */
  const mirrorCommitted = () => {
    for (const { keyId, held, charge } of written) {
      const kept = fundsRead.get(keyId);
      if (kept === undefined) continue;
      if (!kept.mirrored) {
        fundsRead.delete(keyId);
        continue;
      }
      kept.held += held;
      // The charge statement's own arithmetic: never below 0, a key without a balance untouched.
      if (charge > 0 && kept.balance !== null) kept.balance -= Math.min(charge, Math.max(kept.balance, 0));
      const until = heldUntil.get(keyId);
      if (until !== undefined && until < kept.validBefore) kept.validBefore = until;
    }
    written = [];
    heldUntil.clear();
  };
  /** The balance check of a reserve, both ways (in a transaction, or against the file plus what is not written yet): `hold` takes it. */
  const reserveWith = (reservation: Parameters<Store["reserve"]>[0], now: number, pendingNano: number, cached: boolean, hold: () => void) => {
    const { keyId, amountNano } = reservation;
    const available = availableFor(keyId, amountNano, now, pendingNano, cached);
    if (available !== null && available < amountNano) return { ok: false, availableNano: Math.max(0, available) };
    hold();
    return { ok: true, availableNano: available === null ? null : available - amountNano };
  };
  const reserveOp = (reservation: Parameters<Store["reserve"]>[0], pendingJson: string | null, now: number) =>
    reserveWith(reservation, now, 0, false, () => holdOp(reservation, pendingJson));
  /** Deletes a reservation and takes its amount off its key's running total; the deleted row, if any. */
  const dropHold = (id: string) => {
    const h = hot();
    const row = h.drop.get(id) as { usage_id: unknown; key_id: string | null; amount_nano: number } | undefined;
    if (row && row.key_id !== null && row.amount_nano !== 0) addKeyDelta(row.key_id, -row.amount_nano, 0);
    return row;
  };
  const holdOp = (reservation: Parameters<Store["reserve"]>[0], pendingJson: string | null) => {
    const h = hot();
    const insert = () => h.hold.run(reservation.id, reservation.keyId, reservation.amountNano, reservation.expiresAt, reservation.pending?.id ?? null, pendingJson).changes;
    if (insert() === 0) {
      dropHold(reservation.id); // the same id again replaces it, never counts twice
      insert();
    }
    if (reservation.keyId !== null && reservation.amountNano !== 0) {
      addKeyDelta(reservation.keyId, reservation.amountNano, 0);
      const until = heldUntil.get(reservation.keyId);
      if (until === undefined || reservation.expiresAt < until) heldUntil.set(reservation.keyId, reservation.expiresAt);
    }
  };

  const settleOp = (reservationId: string | null, record: UsageRecord, recordJson: string) => {
    const h = hot();
    if (reservationId !== null) {
      const pendingId = dropHold(reservationId)?.usage_id;
      // A pending record under another id: only databases from before migration 2 wrote it to `usage`.
      if (typeof pendingId === "string" && pendingId !== record.id) h.dropUnsettled.run(pendingId);
    }
    const won = h.writeUnsettled.run(record.id, record.keyId, record.requestedModel, record.model, record.createdAt, record.costNano, record.totalTokens, 1, recordJson).changes > 0;
    if (won && record.keyId !== null && record.costNano > 0) addKeyDelta(record.keyId, 0, record.costNano);
  };

  const reconcileTx = keyedTransaction((now: number) => {
    const expired = all("SELECT id, usage_id, pending FROM reservations WHERE expires_at <= ?", now);
    for (const row of expired) {
      dropHold(String(row.id));
      if (typeof row.pending === "string") {
        writeUsage({ ...fromJson<UsageRecord>(row.pending), errorCode: ABANDONED_ERROR_CODE }, false);
      } else if (typeof row.usage_id === "string") {
        // Written before migration 2: the pending record is already in `usage`.
        run("UPDATE usage SET record = json_set(record, '$.errorCode', ?) WHERE id = ? AND settled = 0", ABANDONED_ERROR_CODE, row.usage_id);
      }
    }
    return expired.length;
  });

  // Group commit (see above).
  let queue: QueuedWrite[] = [];
  let flushScheduled = false;
  let behindTimer: NodeJS.Timeout | undefined;
  const runBatch = keyedTransaction((batch: QueuedWrite[]) => batch.map((op) => op.work()));
  const runOne = keyedTransaction((op: QueuedWrite) => op.work());
  const resolveOp = (op: QueuedWrite, value: unknown) => {
    op.landed?.();
    op.resolve(value as never);
  };
  const rejectOp = (op: QueuedWrite, error: unknown) => {
    op.landed?.();
    op.reject(error);
  };
  const flush = () => {
    flushScheduled = false;
    clearTimeout(behindTimer);
    behindTimer = undefined;
    while (queue.length > 0) {
      const batch = queue.length <= MAX_BATCH ? queue : queue.splice(0, MAX_BATCH);
      if (batch === queue) queue = [];
      for (const op of batch) op.taken = true;
      // The file is about to change: a window read from before would miss what lands (and leaves the overlays).
      // The funds kept in memory get what lands instead (mirrorCommitted, once it has committed).
      windowRead.clear();
      if (!db.open) {
        for (const op of batch) rejectOp(op, new Error("The SQLite store is closed"));
        continue;
      }
      let results: unknown[] | undefined;
      try {
        results = runBatch.immediate(batch);
        mirrorCommitted();
      } catch (error) {
        // The file is locked by another process past busy_timeout: every op would wait that long again.
        // A waiting caller gets the error; a write behind (its caller has moved on) is kept for the next try.
        if (isBusy(error)) {
          const kept = batch.filter((op) => op.behind);
          for (const op of batch) if (!op.behind) rejectOp(op, error);
          if (kept.length > 0) {
            queue = [...kept, ...queue];
            scheduleBehind();
            return;
          }
          continue;
        }
        // Rolled back as a whole: rerun each on its own, so only the failing one fails.
        for (const op of batch) {
          let value: unknown;
          try {
            value = runOne.immediate(op);
            mirrorCommitted();
          } catch (error) {
            rejectOp(op, error);
            continue;
          }
          resolveOp(op, value);
        }
        continue;
      }
      for (let i = 0; i < batch.length; i++) resolveOp(batch[i]!, results[i]);
    }
  };
  /** Writes still queued go first: a read of balances or usage sees every write issued before it. */
  const sync = () => {
    if (queue.length > 0) flush();
  };
  const scheduleBehind = () => {
    // A long queue goes at the end of this turn: one transaction never grows past a few batches.
    if (queue.length >= MAX_BATCH && !flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
    if (behindTimer === undefined && !flushScheduled) {
      behindTimer = setTimeout(flush, writeBehindMs);
      behindTimer.unref?.();
    }
  };
  const write = <T>(work: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: never) => void, reject, behind: false });
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    });
  /** A write behind not taken into a transaction yet, given up: it never reaches the file, and its `landed` never runs (the caller undoes its counting itself). */
  const cancel = (op: QueuedWrite) => {
    op.work = noop;
    op.landed = undefined;
  };
  /**
   * A write whose caller needs no answer (a hold, a settle, a window count,
   * a slot taken or released; the check was made in memory): queued in
   * order and committed with the next answering write, or after
   * writeBehindMs at the latest, so the writes of many requests share one
   * commit. It is reported, not thrown, if it fails.
   */
  const writeBehind = (work: () => unknown, landed?: () => void): QueuedWrite => {
    if (!db.open) throw new Error("The SQLite store is closed");
    const op: QueuedWrite = { work, resolve: noop, reject: reportBehind, behind: true, landed };
    queue.push(op);
    scheduleBehind();
    return op;
  };

  /**
   * Money written behind but not in the file yet, per key (holds taken,
   * charges due, minus holds released): a reserve in this process counts it
   * on top of what the file says, so the balance check stays exact here.
   */
  const unwritten = new Map<string, number>();
  /** Adds to a running total of what is not written yet; a total back at 0 leaves the map. */
  const addTo = (totals: Map<string, number>, name: string, amount: number) => {
    const total = (totals.get(name) ?? 0) + amount;
    if (total === 0) totals.delete(name);
    else totals.set(name, total);
  };
  const shift = (keyId: string | null, nano: number) => {
    if (keyId !== null && nano !== 0) addTo(unwritten, keyId, nano);
  };
  /**
   * Rate-limit windows the same way: what this process added and has not
   * written yet, per window (`name` NUL `start`), on top of the file's
   * count, read once per commit or writeBehindMs.
   */
  const windowUnwritten = new Map<string, number>();
  const windowRead = new Map<string, { start: number; total: number; until: number }>();
  const windowInFile = (name: string, start: number): number => {
    let kept = windowRead.get(name);
    if (kept === undefined || kept.until <= performance.now()) {
      const row = hot().windowNow.get(name) as { start: number; total: number } | undefined;
      kept = { start: row?.start ?? start, total: row?.total ?? 0, until: performance.now() + writeBehindMs };
      windowRead.set(name, kept);
    }
    // A row of an earlier window counts for nothing: the next write starts the window over.
    return kept.start === start ? kept.total : 0;
  };
  /**
   * Concurrency slots the same way, per slot name: leases granted here and
   * not written yet (counted on top of the file), leases written (so a
   * release knows what it frees), and releases not written yet (no longer
   * counted, though still in the file). A name with nothing pending is dropped.
   */
  interface SlotBook {
    unwritten: Map<string, { expiresAt: number; released: boolean; op: QueuedWrite }>;
    written: Map<string, number>;
    releasing: Map<string, number>;
  }
  const slotBooks = new Map<string, SlotBook>();
  const slotBook = (name: string): SlotBook => {
    let book = slotBooks.get(name);
    if (!book) slotBooks.set(name, (book = { unwritten: new Map(), written: new Map(), releasing: new Map() }));
    return book;
  };
  const tidySlotBook = (name: string, book: SlotBook) => {
    if (book.unwritten.size === 0 && book.written.size === 0 && book.releasing.size === 0 && slotBooks.get(name) === book) slotBooks.delete(name);
  };
  /** Holds taken here and not settled yet: what a settle releases, and the queued write of the hold. */
  const liveHolds = new Map<string, { keyId: string | null; amountNano: number; op: QueuedWrite }>();
  const pendingFlush = { flush: sync };
  liveStores.add(pendingFlush);

  const creditTx = db.transaction((credit: Parameters<Store["credit"]>[0]) => {
    const key = getKey(credit.keyId);
    if (!key) throw new Error(`unknown key ${credit.keyId}`);
    const inserted = run("INSERT OR IGNORE INTO credits (id, key_id, amount_nano, reason, created_at) VALUES (?, ?, ?, ?, ?)",
      credit.id, credit.keyId, credit.amountNano, credit.reason, credit.createdAt);
    if (inserted.changes > 0) run("UPDATE keys SET balance_nano = balance_nano + ? WHERE id = ? AND balance_nano IS NOT NULL", credit.amountNano, credit.keyId);
    return { balanceNano: getKey(credit.keyId)?.balanceNano ?? null };
  });

  const dropExpiredSlots = (name: string, now: number) => run("DELETE FROM slots WHERE name = ? AND expires_at <= ?", name, now);
  const insertSlot = (name: string, lease: string, expiresAt: number) => run("INSERT INTO slots (name, lease, expires_at) VALUES (?, ?, ?)", name, lease, expiresAt);
  const acquireSlotOp = (name: string, max: number, leaseMs: number, now: number) => {
    dropExpiredSlots(name, now);
    if (Number(one("SELECT COUNT(*) AS n FROM slots WHERE name = ?", name)?.n ?? 0) >= max) return null;
    const lease = randomUUID();
    insertSlot(name, lease, now + leaseMs);
    return lease;
  };

  return {
    async init() {
      if (!migrated) migrate();
      migrated = true;
    },
    async close() {
      sync(); // what was issued before close still commits
      liveStores.delete(pendingFlush);
      if (db.open) db.close();
      await checkpointer?.stop();
      checkpointer = undefined;
    },

    async insertKey(k) {
      fundsRead.clear();
      run("INSERT INTO keys (id, hash, masked, name, created_at, expires_at, revoked_at, balance_nano, limits, models, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        k.id, k.hash, k.masked, k.name, k.createdAt, k.expiresAt, k.revokedAt, k.balanceNano, JSON.stringify(k.limits), JSON.stringify(k.models), JSON.stringify(k.metadata));
    },
    async findKeyByHash(hash) {
      sync();
      const row = one("SELECT * FROM keys WHERE hash = ?", hash);
      return row && rowToKey(row);
    },
    async getKey(id) {
      sync();
      return getKey(id);
    },
    async listKeys(opts = {}) {
      sync();
      const limit = clampPageLimit(opts.limit);
      const after = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor);
      if (opts.cursor !== undefined && !after) throw invalidCursor();
      const rows = after
        ? all("SELECT * FROM keys WHERE (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?", after.createdAt, after.id, limit + 1)
        : all("SELECT * FROM keys ORDER BY created_at, id LIMIT ?", limit + 1);
      const keys = rows.slice(0, limit).map(rowToKey);
      const last = keys[keys.length - 1];
      return { keys, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },
    async updateKey(id, patch) {
      fundsRead.clear();
      const columns: Record<string, unknown> = {
        name: patch.name,
        revoked_at: patch.revokedAt,
        expires_at: patch.expiresAt,
        limits: patch.limits && JSON.stringify(patch.limits),
        models: patch.models === undefined ? undefined : JSON.stringify(patch.models),
        metadata: patch.metadata && JSON.stringify(patch.metadata),
      };
      const set = Object.entries(columns).filter(([, v]) => v !== undefined);
      if (set.length > 0) run(`UPDATE keys SET ${set.map(([c]) => `${c} = ?`).join(", ")} WHERE id = ?`, ...set.map(([, v]) => v), id);
      return getKey(id);
    },

    async credit(credit) {
      sync();
      fundsRead.clear();
      return creditTx(credit);
    },
    async listCredits(keyId) {
      return all("SELECT * FROM credits WHERE key_id = ? ORDER BY created_at, id", keyId).map((r) => ({
        id: String(r.id),
        keyId: String(r.key_id),
        amountNano: Number(r.amount_nano),
        reason: String(r.reason),
        createdAt: Number(r.created_at),
      }));
    },

    async reserve(reservation, now) {
      if (writeBehindMs <= 0) {
        // Serialised here, outside the transaction: the write lock is held as briefly as possible.
        const pendingJson = reservation.pending ? encodeUsageRecord(reservation.pending) : null;
        return write(() => reserveOp(reservation, pendingJson, now));
      }
      // Checked now against the file plus what this process has not written yet; the hold itself is written behind.
      const { keyId, amountNano } = reservation;
      // The same id again replaces its hold (not counted in the check); if it is not written yet, it never is.
      const previous = liveHolds.get(reservation.id);
      const replacedNano = previous && previous.keyId === keyId ? previous.amountNano : 0;
      return reserveWith(reservation, now, keyId === null ? 0 : (unwritten.get(keyId) ?? 0) - replacedNano, true, () => {
        if (previous && !previous.op.taken) {
          cancel(previous.op);
          shift(previous.keyId, -previous.amountNano);
        }
        shift(keyId, amountNano);
        const op = writeBehind(
          () => holdOp(reservation, reservation.pending ? encodeUsageRecord(reservation.pending) : null),
          () => shift(keyId, -amountNano),
        );
        liveHolds.set(reservation.id, { keyId, amountNano, op });
      });
    },
    async settle(reservationId, record) {
      if (writeBehindMs <= 0) {
        const recordJson = encodeUsageRecord(record);
        return void (await write(() => settleOp(reservationId, record, recordJson)));
      }
      const hold = reservationId === null ? undefined : liveHolds.get(reservationId);
      if (reservationId !== null) liveHolds.delete(reservationId);
      const charge = record.keyId !== null && record.costNano > 0 ? record.costNano : 0;
      // Unwritten until it lands: the hold released (-) and the charge due (+); landing undoes both.
      const count = (sign: 1 | -1) => {
        shift(hold?.keyId ?? null, -sign * (hold?.amountNano ?? 0));
        shift(record.keyId, sign * charge);
      };
      count(1);
      // A request that ended before its hold was written: the hold is never written, nor deleted. Not cancel():
      // the hold's `landed` must still run, to take back the hold's own unwritten count.
      let dropFrom = reservationId;
      if (hold && !hold.op.taken) {
        hold.op.work = noop;
        dropFrom = null;
      }
      writeBehind(
        () => settleOp(dropFrom, record, encodeUsageRecord(record)),
        () => count(-1),
      );
    },
    async reconcile(now) {
      sync();
      fundsRead.clear();
      return reconcileTx.immediate(now);
    },

    async getUsage(id) {
      sync();
      const row = one("SELECT record FROM usage WHERE id = ?", id);
      if (row) return fromJson<UsageRecord>(row.record);
      // Not settled yet: the pending record rides on its reservation (a small table: live holds only).
      const held = one("SELECT pending FROM reservations WHERE usage_id = ? AND pending IS NOT NULL LIMIT 1", id);
      return held && fromJson<UsageRecord>(held.pending);
    },
    async listUsage(filter) {
      sync();
      const limit = clampPageLimit(filter.limit);
      const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
      if (filter.cursor !== undefined && !after) throw invalidCursor();
      const params: unknown[] = [];
      const where = buildUsageWhere(filter, after, (v) => (params.push(v), "?"));
      const rows = db.prepare(`SELECT record FROM usage ${where} ORDER BY created_at DESC, id DESC LIMIT ?`).all(...params, limit + 1) as Row[];
      const records = rows.slice(0, limit).map((r) => fromJson<UsageRecord>(r.record));
      const last = records[records.length - 1];
      return { records, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },
    async sumUsage(keyId, since) {
      sync();
      const row = one("SELECT COUNT(*) AS n, COALESCE(SUM(cost_nano), 0) AS cost, COALESCE(SUM(total_tokens), 0) AS tokens FROM usage WHERE key_id = ? AND created_at >= ?", keyId, since);
      return { requests: Number(row?.n ?? 0), costNano: Number(row?.cost ?? 0), tokens: Number(row?.tokens ?? 0) };
    },

    async incrementWindow(name, windowMs, amount, now) {
      const start = windowStart(now, windowMs);
      if (writeBehindMs <= 0) {
        const total = await write(() => Number(hot().window.get(name, start, amount)));
        return { total, resetAt: start + windowMs };
      }
      // Counted now against the file plus what this process has not written yet; the increment is written behind.
      const slot = `${name}\u0000${start}`;
      const total = windowInFile(name, start) + (windowUnwritten.get(slot) ?? 0) + amount;
      if (amount !== 0) {
        addTo(windowUnwritten, slot, amount);
        writeBehind(
          () => hot().window.get(name, start, amount),
          () => addTo(windowUnwritten, slot, -amount),
        );
      }
      return { total, resetAt: start + windowMs };
    },
    async acquireSlot(name, max, leaseMs, now) {
      if (writeBehindMs <= 0) return write(() => acquireSlotOp(name, max, leaseMs, now));
      // Counted now against the file plus what this process has not written yet; the lease is written behind.
      const book = slotBook(name);
      for (const [written, expiresAt] of book.written) if (expiresAt <= now) book.written.delete(written); // ran out unreleased
      let live = Number(hot().slotCount.get(name, now));
      for (const pending of book.unwritten.values()) if (pending.expiresAt > now) live++;
      for (const expiresAt of book.releasing.values()) if (expiresAt > now) live--;
      if (live >= max) {
        tidySlotBook(name, book);
        return null;
      }
      const lease = randomUUID();
      const expiresAt = now + leaseMs;
      const pending = { expiresAt, released: false, op: undefined as unknown as QueuedWrite };
      pending.op = writeBehind(
        () => {
          dropExpiredSlots(name, now);
          insertSlot(name, lease, expiresAt);
        },
        () => {
          book.unwritten.delete(lease);
          if (!pending.released) book.written.set(lease, expiresAt);
          tidySlotBook(name, book);
        },
      );
      book.unwritten.set(lease, pending);
      return lease;
    },
    async releaseSlot(name, lease) {
      const release = () => {
        if (lease !== undefined) run("DELETE FROM slots WHERE name = ? AND lease = ?", name, lease);
        else run("DELETE FROM slots WHERE rowid = (SELECT rowid FROM slots WHERE name = ? ORDER BY expires_at LIMIT 1)", name);
      };
      if (writeBehindMs <= 0) return void (await write(release));
      const book = slotBooks.get(name);
      const pending = lease === undefined ? undefined : book?.unwritten.get(lease);
      if (book && pending && lease !== undefined) {
        pending.released = true;
        if (!pending.op.taken) {
          // Released before it was written: it never is.
          cancel(pending.op);
          book.unwritten.delete(lease);
          tidySlotBook(name, book);
          return;
        }
      }
      // In the file: it stops counting here at once, and leaves the file with the next commit.
      const expiresAt = lease === undefined ? undefined : book?.written.get(lease);
      if (book && lease !== undefined && expiresAt !== undefined) {
        book.written.delete(lease);
        book.releasing.set(lease, expiresAt);
      }
      writeBehind(release, () => {
        if (book && lease !== undefined && book.releasing.delete(lease)) tidySlotBook(name, book);
      });
    },

    async getState(name) {
      const row = one("SELECT value FROM state WHERE name = ? AND expires_at > ?", name, clock());
      return row === undefined ? undefined : String(row.value);
    },
    async setState(name, value, ttlMs) {
      const now = clock();
      await write(() => {
        run("INSERT INTO state (name, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at", name, value, now + ttlMs);
        // Keep the table small: cooldown entries are written often and expire fast.
        if (Math.random() < 0.01) run("DELETE FROM state WHERE expires_at <= ?", now);
      });
    },
  };
}
