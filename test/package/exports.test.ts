import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" }).trim();

// `npm test` builds dist/ before vitest; the package must load by its own name both ways.
describe.runIf(existsSync(`${root}/dist/index.cjs`))("package exports (built dist)", () => {
  it("works from CommonJS require", () => {
    const out = run(["-e", "const m=require('modelmux');const e=require('modelmux/express');const k=require('modelmux/koa');console.log([typeof m.createGateway,typeof e.expressGateway,typeof k.koaGateway,typeof m.nodeGateway].join())"]);
    expect(out).toBe("function,function,function,function");
  });

  it("works from ESM import", () => {
    const out = run(["--input-type=module", "-e", "import {createGateway,nodeGateway} from 'modelmux';import {expressGateway} from 'modelmux/express';import {koaGateway} from 'modelmux/koa';console.log([typeof createGateway,typeof expressGateway,typeof koaGateway,typeof nodeGateway].join())"]);
    expect(out).toBe("function,function,function,function");
  });

  it("shares one core between the barrel and the adapters (one GatewayError class)", () => {
    const out = run(["-e", "const fs=require('fs');const src=fs.readFileSync('dist/express.cjs','utf8');console.log(src.includes('class GatewayError'))"]);
    expect(out).toBe("false");
  });

  it("ships type declarations for every entry", () => {
    for (const f of ["index.d.ts", "index.d.cts", "express.d.ts", "express.d.cts", "koa.d.ts", "koa.d.cts"]) expect(existsSync(`${root}/dist/${f}`)).toBe(true);
  });
});
