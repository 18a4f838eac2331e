import {describe, expect, it} from "vitest";
import {EVERY_GRANT} from "../../../src/assistants/assistantGrants.js";
import {Assistants} from "../../../src/assistants/assistants.js";
import {hashOf, MADE_PREFIX, newSecret} from "../../../src/assistants/assistantTokens.js";
import {EventBus} from "../../../src/core/events.js";
import {Logger} from "../../../src/core/logger.js";
import {Store} from "../../../src/store/store.js";
import {tempDir} from "../../helpers/tmp.js";

const quiet = new Logger({sink: () => {}});

/** The assistants on the state database in `dir`, started. */
async function open(dir: string) {
  const store = new Store(dir, quiet);
  await store.start();
  const assistants = new Assistants({store, bus: new EventBus(quiet), log: quiet});
  await assistants.start();
  return {
    store,
    assistants,
    async stop() {
      await assistants.stop();
      await store.stop();
    },
  };
}

describe("what an assistant may do, kept with it", () => {
  it("gives an assistant kept before grants existed everything, as it had", async () => {
    const dir = await tempDir();
    const token = newSecret(MADE_PREFIX);
    const before = new Store(dir, quiet);
    await before.start();
    // A record as the version before grants wrote it.
    await before.namespace<unknown>("assistants").set("old", {
      id: "old",
      name: "Claude on the laptop",
      kind: "token",
      hash: hashOf(token),
      createdAt: Date.parse("2026-11-01T08:00:00Z"),
    });
    await before.stop();

    const after = await open(dir);
    expect(after.assistants.check(token)).toEqual({
      ok: true,
      id: "old",
      name: "Claude on the laptop",
      grants: EVERY_GRANT,
    });
    expect(after.assistants.list()).toMatchObject([{name: "Claude on the laptop", read_only: false, children: []}]);
    await after.stop();
  });

  it("keeps a token's and an OAuth client's grants across a restart, a copy of what was given", async () => {
    const dir = await tempDir();
    const first = await open(dir);
    const given = {readOnly: true, children: ["Mia"]};
    const {token} = await first.assistants.make("Grandma's tablet", given);
    const issued = await first.assistants.approveClient("client-1", "Home Assistant", "yoto", {
      readOnly: false,
      children: ["Ben", "Mia"],
    });
    // The caller's object changing later changes nothing kept.
    given.children.push("Ben");
    await first.stop();

    const second = await open(dir);
    expect(second.assistants.check(token)).toMatchObject({grants: {readOnly: true, children: ["Mia"]}});
    expect(second.assistants.check(issued.access_token)).toMatchObject({
      name: "Home Assistant",
      grants: {readOnly: false, children: ["Ben", "Mia"]},
    });
    expect(second.assistants.list().map((a) => [a.name, a.read_only, a.children])).toEqual(
      expect.arrayContaining([
        ["Grandma's tablet", true, ["Mia"]],
        ["Home Assistant", false, ["Ben", "Mia"]],
      ]),
    );
    // Approved without saying: everything, as the OAuth flow did before grants.
    const plain = await second.assistants.approveClient("client-2", "Another client", "yoto");
    expect(second.assistants.check(plain.access_token)).toMatchObject({grants: EVERY_GRANT});
    await second.stop();
  });
});
