import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

/**
 * Per-answer objects must share their hidden classes from one request to
 * the next. A generator function defined per request, or an object made by
 * spreading another and then adding keys, gets a new hidden class every
 * time on node 20, and the code reading such objects goes megamorphic: the
 * stream path cost 14% more CPU that way (issue 7, `npm run bench:ab`).
 * An object literal with a getter became a dictionary, one per object.
 */
describe("hidden classes of per-answer objects", () => {
  it("are the same for two answers of the same kind (JSON and streamed)", async () => {
    const child = fileURLToPath(new URL("./children/hidden-classes-child.ts", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ["--allow-natives-syntax", "--import", "tsx", child], { timeout: 60_000 });
    expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toEqual({
      "JSON answer body": true,
      "JSON answer headers": true,
      "stream answer events": true,
      "stream answer headers": true,
      "adapter headers": true,
      "upstream request": true,
      "provider context": true,
      "adapter request": true,
    });
  }, 60_000);
});
