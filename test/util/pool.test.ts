import { describe, expect, it } from "vitest";
import { workerFileUrl } from "../../src/util/pool.js";

describe("workerFileUrl", () => {
  it("maps a TypeScript module under src/ to the compiled file under dist/", () => {
    const url = workerFileUrl("../fm/train-worker.js", new URL("../../src/fm/trainer.ts", import.meta.url).href);
    expect(url.pathname.endsWith("/dist/fm/train-worker.js")).toBe(true);
  });

  it("keeps a compiled module's sibling as is", () => {
    const from = new URL("../../dist/fm/trainer.js", import.meta.url).href;
    expect(workerFileUrl("../fm/train-worker.js", from).href).toBe(new URL("../../dist/fm/train-worker.js", import.meta.url).href);
  });

  it("says to build when the compiled file is missing", () => {
    expect(() => workerFileUrl("../fm/nope.js", new URL("../../src/fm/trainer.ts", import.meta.url).href)).toThrow(
      /dist\/fm\/nope\.js not found: build the package first/,
    );
  });
});
