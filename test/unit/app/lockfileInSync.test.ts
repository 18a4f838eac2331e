import {readFileSync} from "node:fs";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";

const read = (file: string) => JSON.parse(readFileSync(path.join(PACKAGE_ROOT, file), "utf8"));

describe("package-lock.json", () => {
  // npm install rewrites a lockfile whose root entry disagrees with package.json, leaving a
  // newcomer's fresh clone modified; npm ci refuses it outright.
  it("has the dependencies package.json asks for in its root entry", () => {
    const manifest = read("package.json");
    const root = read("package-lock.json").packages[""];
    for (const key of ["dependencies", "devDependencies", "optionalDependencies"])
      expect({[key]: root[key] ?? {}}).toEqual({[key]: manifest[key] ?? {}});
  });
});
