import { describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { commandTable } from "../../src/cli/commands/index.js";

describe("lazy command table", () => {
  it("repeats each module's own command string and description", async () => {
    for (const entry of commandTable) {
      const mod = (await entry.load())(captureIo());
      expect(mod.command).toBe(entry.command);
      expect(mod.describe).toBe(entry.describe);
    }
  });

  it("fmanneal --help lists every command with its description", async () => {
    const io = captureIo();
    expect(await main(["--help"], io)).toBe(0);
    const flat = io.stdout.replace(/\s+/g, " ");
    for (const entry of commandTable) {
      expect(flat).toContain(`fmanneal ${entry.command}`);
      expect(flat.replace(/ /g, "")).toContain(entry.describe.replace(/ /g, ""));
    }
  });
});
