import {chmod, writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {programForTests} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";

// lame is optional for the product (README, "Requirements"), so `npm test` must not need it: the
// test that encodes with the real one is skipped without it, saying why, except in CI.
describe("a program only some tests need", () => {
  it("is found on PATH, or its tests are skipped with a word why, except under CI=true", async () => {
    const empty = await tempDir("yss-nolame-");
    expect(programForTests("lame", "apt-get install lame", {PATH: empty})).toEqual({
      reason: "lame is not installed (apt-get install lame): the tests that need it are skipped",
    });
    expect(() => programForTests("lame", "apt-get install lame", {PATH: empty, CI: "true"})).toThrow(
      "lame is not installed (apt-get install lame): CI needs it",
    );
    const lame = path.join(empty, "lame");
    await writeFile(lame, "#!/bin/sh\n");
    await chmod(lame, 0o755);
    expect(programForTests("lame", "apt-get install lame", {PATH: empty, CI: "true"})).toEqual({path: lame});
  });
});
