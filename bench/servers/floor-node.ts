/**
 * Floor 1: bare node:http + undici passthrough. The request bytes go
 * upstream as they are and the answer's bytes come back as they are: no
 * parse, no auth, no accounting. What any Node proxy pays at least.
 */
import { createServer } from "node:http";
import { passthrough } from "./passthrough.js";
import { serveBenchChild } from "./serve-bench-child.js";

serveBenchChild(createServer(passthrough(process.argv[2]!)), "floor-node");
