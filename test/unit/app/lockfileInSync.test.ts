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

type Version = [number, number, number];

/** Whether `range` (an `engines.node` as packages write it: `*`, `>=`, `>`, `^`, joined by `||`) admits `v`. */
function admits(range: string, v: Version): boolean {
  return range.split("||").some((alternative) => {
    const part = alternative.trim();
    if (part === "*") return true;
    const m = /^(>=|>|\^)\s*(\d+)(?:\.(\d+|x))?(?:\.(\d+|x))?$/.exec(part);
    if (!m) throw new Error(`An engines range this test does not read: '${range}'`);
    const base: Version = [Number(m[2]), Number(m[3]) || 0, Number(m[4]) || 0];
    const order = compare(v, base);
    if (m[1] === ">") return order > 0;
    if (m[1] === "^") return v[0] === base[0] && order >= 0;
    return order >= 0;
  });
}

const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

describe("the Node.js the README promises", () => {
  // npm install warns (EBADENGINE) for any package whose engines leave out the Node the README
  // says is enough: a newcomer on that Node reads a warning the project never explains.
  it("runs every package the lockfile installs, dev dependencies too", () => {
    const floor = /^>=(\d+)\.(\d+)$/.exec(read("package.json").engines.node);
    expect(floor, "package.json's engines.node is '>=<major>.<minor>'").not.toBeNull();
    const oldest: Version = [Number(floor?.[1]), Number(floor?.[2]), 0];
    const packages = read("package-lock.json").packages as Record<
      string,
      {version?: string; engines?: {node?: string}}
    >;
    const refusing = Object.entries(packages)
      .filter(([, p]) => typeof p.engines?.node === "string" && !admits(p.engines.node, oldest))
      .map(([where, p]) => `${where}@${p.version}: node ${p.engines?.node}`);
    expect(refusing).toEqual([]);
    expect(readFileSync(path.join(PACKAGE_ROOT, "README.md"), "utf8")).toContain(
      `Node.js ${oldest[0]}.${oldest[1]} or newer`,
    );
  });
});
