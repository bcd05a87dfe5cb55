/**
 * Floor 2: the naive Express proxy of issue 7. Express 5 + express.json +
 * undici + res.json; streams are piped chunk by chunk (mount-express-floor.ts).
 */
import { createServer } from "node:http";
import express from "express";
import { mountExpressFloor } from "./mount-express-floor.js";
import { serveBenchChild } from "./serve-bench-child.js";

const app = express();
mountExpressFloor(app, process.argv[2]!);
serveBenchChild(createServer(app), "floor-express");
