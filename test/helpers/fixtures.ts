import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { parse as parseYaml } from "yaml";

/** ../shared/fixtures/upstream, beside the project root. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../../shared/fixtures/upstream");
export const SPEC_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../shared/spec");

export function fixtureText(rel: string): string {
  return readFileSync(join(FIXTURES, rel), "utf8");
}

export function fixtureJson<T = unknown>(rel: string): T {
  return JSON.parse(fixtureText(rel)) as T;
}

/** A `.chunks.txt` file: one JSON payload per non-empty line. */
export function fixtureChunks(rel: string): string[] {
  return fixtureText(rel)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

export interface CassetteInteraction {
  request: { method: string; uri: string; headers?: Record<string, unknown>; parsed_body?: unknown; body?: unknown };
  response: {
    status: { code: number; message?: string };
    headers?: Record<string, string[]>;
    body?: { string?: string };
    parsed_body?: unknown;
  };
}

/** A VCR `.yaml` cassette's interactions. */
export function fixtureCassette(rel: string): CassetteInteraction[] {
  const doc = parseYaml(fixtureText(rel)) as { interactions: CassetteInteraction[] };
  return doc.interactions;
}
