import {afterAll, describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import type {ChildRecord} from "../../../src/family/familyStore.js";
import {FamilyStore} from "../../../src/family/familyStore.js";
import {freshDay} from "../../../src/family/verdict.js";
import {Store} from "../../../src/store/store.js";
import {tempDir} from "../../helpers/tmp.js";

describe("children saved before their names were normalised", () => {
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.stop();
  });

  it("are found by their name in any Unicode form, and changed and deleted in the row they were saved in", async () => {
    const dir = await tempDir("yss-family-names-");
    const log = new Logger({level: "error", sink: () => undefined});
    const open = async () => {
      const store = new Store(dir, log);
      await store.start();
      stores.push(store);
      const family = new FamilyStore(store);
      await family.load("2026-01-01");
      return {store, family};
    };
    const first = await open();
    // Saved as typed, decomposed ("Zoe" and a combining diaeresis), keyed by its lower case.
    const decomposed = "Zoe\u0308";
    // As saved before children had ids.
    const record: Omit<ChildRecord, "id"> = {name: decomposed, plan: {players: ["mini"]}};
    await first.store.namespace<Omit<ChildRecord, "id">>("family_children").set(decomposed.toLowerCase(), record);
    await first.store.namespace("family_days").set(decomposed.toLowerCase(), {...freshDay("2026-11-23"), bonuses: 2});
    await first.store.stop();

    const second = await open();
    expect(second.family.child("Zo\u00eb")?.plan.players).toEqual(["mini"]);
    expect(second.family.day("ZO\u00cb")?.bonuses).toBe(2);
    await second.family.deleteChild("Zo\u00eb");
    await second.store.stop();

    const third = await open();
    expect([...third.family.children.keys()]).toEqual([]);
    expect([...third.family.days.keys()]).toEqual([]);
  });
});
