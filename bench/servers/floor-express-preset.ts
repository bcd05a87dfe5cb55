/**
 * The Express floor (floor-express.ts) on a server from modelmux's
 * createServerOptions(app): the same naive proxy without Express's
 * per-request setPrototypeOf, to compare modelmux-express-preset with.
 */
import { createServer } from "node:http";
import express from "express";
import { createServerOptions } from "modelmux/express";
import { mountExpressFloor } from "./mount-express-floor.js";
import { serveBenchChild } from "./serve-bench-child.js";

const app = express();
mountExpressFloor(app, process.argv[2]!);
serveBenchChild(createServer(createServerOptions(app), app), "floor-express-preset");
