import { defineConfig } from "vitest/config";

// Tests import the TypeScript sources directly; worker-thread tests need the built
// dist/ (piscina loads compiled .js), which `npm ci` (prepare) and `npm test` (pretest) provide.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
