import { IncomingMessage, ServerResponse, type ServerOptions } from "node:http";

/**
 * Marks the requests and responses built by the constructors below: Express
 * changes no prototype on them, so the adapter has nothing to repair. In the
 * global registry, so an ESM and a CommonJS copy of modelmux agree.
 */
export const BUILT_WITH_APP_PROTOTYPE: unique symbol = Symbol.for("modelmux.builtWithAppPrototype");

/** What Express puts on the app: the prototypes it gives every request and response. */
export interface ExpressAppPrototypes {
  request: object;
  response: object;
}

/**
 * Options for `http.createServer` (or `https.createServer`) that build each
 * request and response with the Express app's own prototype from the start:
 *
 *   createServer(createServerOptions(app), app).listen(3000)
 *
 * Express gives every request and response its app's prototype with
 * `Object.setPrototypeOf` (Express 5 in `app.handle`, Express 4 in its
 * `init` middleware). In V8 that has two costs for the whole process, paid
 * on every request whatever the route: the object gets a map no other
 * request shares, so property accesses on it miss the inline caches; and,
 * once a field of such a stream is written (Node's HTTP code writes many),
 * the object and all it points to survive the young-generation collections
 * and are left for the full, marking ones (measured with
 * `node --trace-gc-nvp`: about 1 to 3 MB promoted per scavenge in an
 * Express process, none without the step; nodejs/node#37457,
 * expressjs/express#5998). When the object already has the prototype,
 * `setPrototypeOf` changes nothing and both costs are gone.
 *
 * Only the prototype an object starts with changes: Node's own constructors
 * build it, `req instanceof http.IncomingMessage` still holds, and a
 * mounted sub-app still sets its own prototype on the way in and the
 * parent's on the way out, as without these options. The options in
 * `base` are kept (TLS, timeouts, ...), except `IncomingMessage` and
 * `ServerResponse`, which these replace.
 */
export function createServerOptions<T extends object = ServerOptions>(app: ExpressAppPrototypes, base?: T): T & ServerOptions {
  const classes = { IncomingMessage: withPrototype(IncomingMessage, app.request), ServerResponse: withPrototype(ServerResponse, app.response) };
  return { ...base, ...classes } as unknown as T & ServerOptions;
}

/**
 * A constructor that builds what `Base` builds, with `prototype` as its
 * prototype, on an object V8 made from this function's own initial map.
 * Node's IncomingMessage and ServerResponse are plain functions, so
 * `Base.call(this, ...)` runs on it. Built through `Reflect.construct(Base,
 * args, Built)` instead (which a class would need) the objects got a map
 * derived from Base's and still outlived the young-generation collections:
 * a Node whose constructors are classes gets them unchanged.
 */
function withPrototype<C extends new (...args: never[]) => object>(Base: C, prototype: object): C {
  if (Function.prototype.toString.call(Base).startsWith("class")) return Base;
  const construct = Base as unknown as (this: object, ...args: unknown[]) => void;
  function Built(this: Record<string | symbol, unknown>, ...args: unknown[]) {
    if (args.length < 0) {
      // Never runs. V8 gives the objects a constructor builds as many fields in the object itself as the
      // `this.x =` stores in its body, and later trims what the first objects left unused. Without room
      // there, Node's constructors' stores of symbol-keyed fields (keyed stores, which V8 allows only a
      // dozen fields out of line) turn a ServerResponse into a dictionary. With it, an Express JSON route
      // measured 64 µs of CPU a request against 106 µs as a dictionary and 265 µs on a plain server.
      this.s0 = 0; this.s1 = 0; this.s2 = 0; this.s3 = 0; this.s4 = 0; this.s5 = 0; this.s6 = 0; this.s7 = 0;
      this.s8 = 0; this.s9 = 0; this.s10 = 0; this.s11 = 0; this.s12 = 0; this.s13 = 0; this.s14 = 0; this.s15 = 0;
      this.s16 = 0; this.s17 = 0; this.s18 = 0; this.s19 = 0; this.s20 = 0; this.s21 = 0; this.s22 = 0; this.s23 = 0;
      this.s24 = 0; this.s25 = 0; this.s26 = 0; this.s27 = 0; this.s28 = 0; this.s29 = 0; this.s30 = 0; this.s31 = 0;
      this.s32 = 0; this.s33 = 0; this.s34 = 0; this.s35 = 0; this.s36 = 0; this.s37 = 0; this.s38 = 0; this.s39 = 0;
      this.s40 = 0; this.s41 = 0; this.s42 = 0; this.s43 = 0; this.s44 = 0; this.s45 = 0; this.s46 = 0; this.s47 = 0;
      this.s48 = 0; this.s49 = 0; this.s50 = 0; this.s51 = 0; this.s52 = 0; this.s53 = 0; this.s54 = 0; this.s55 = 0;
      this.s56 = 0; this.s57 = 0; this.s58 = 0; this.s59 = 0; this.s60 = 0; this.s61 = 0; this.s62 = 0; this.s63 = 0;
    }
    this[BUILT_WITH_APP_PROTOTYPE] = true;
    construct.apply(this, args);
  }
  Built.prototype = prototype;
  return Built as unknown as C;
}
