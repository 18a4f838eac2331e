import {readdir, readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {SERVICES, serviceLabel} from "../../../ui/src/components/service-labels.js";

const SRC = path.join(import.meta.dirname, "..", "..", "..", "src");

/** Every service name the code gives (`readonly name = "…"`, and each HttpListener's first argument). */
async function serviceNames(): Promise<string[]> {
  const names = new Set<string>();
  for (const entry of await readdir(SRC, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.parentPath.includes(`${path.sep}sim`)) continue;
    const text = await readFile(path.join(entry.parentPath, entry.name), "utf8");
    for (const m of text.matchAll(/readonly name = "([^"]+)"/g)) names.add(m[1] as string);
    for (const m of text.matchAll(/new HttpListener\(\s*"([^"]+)"/g)) names.add(m[1] as string);
  }
  return [...names].sort();
}

describe("the Health page's service names", () => {
  it("gives every service the code starts a name a family would use, never its code name with a capital", async () => {
    const names = await serviceNames();
    expect(names.length).toBeGreaterThan(25);
    expect(names.filter((name) => !Object.hasOwn(SERVICES, name))).toEqual([]);
    expect(serviceLabel("upnp-http")).toBe("DLNA server");
    expect(serviceLabel("upnp")).toBe("DLNA renderers and library");
  });
});
