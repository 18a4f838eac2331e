import type {FamilyJournalEntry} from "../../src/shared/api/family.js";
import type {TestApp} from "./app.js";
import {call} from "./http.js";

/**
 * The refusals in the family journal, newest first, once every refusal asked so far is written: the
 * plan's work goes in turn, so once its next piece is done, every one before it is in.
 */
export async function journalRefusals(t: TestApp): Promise<Array<Pick<FamilyJournalEntry, "child" | "text">>> {
  await t.app.family.refused("no-such-player", "");
  const journal = await call("GET", `${t.adminUrl}/api/family/journal`);
  return (journal.body.entries as FamilyJournalEntry[])
    .filter((e) => e.what === "refused")
    .map(({child, text}) => ({child, text}));
}
