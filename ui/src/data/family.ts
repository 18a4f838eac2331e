import type {
  BonusGrant,
  ChildPlan,
  ChildrenList,
  ChildShelf,
  ChildView,
  ShelfChoice,
} from "../../../src/shared/api/index.js";
import {get, request, segment} from "./http.js";

export type {
  BonusGrant,
  BonusRequest,
  ChildPlan,
  ChildrenList,
  ChildShelf,
  ChildView,
  FamilyJournalEntry,
  JournalPart,
  NightOverride,
  ShelfChoice,
  TimelineStep,
  Weekday,
} from "../../../src/shared/api/index.js";

export type Listener = ChildrenList["listeners"][number];

/** The week as the panel shows it, Monday first; the plan's keys are the same names, in any order. */
export const WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const child = (name: string) => `api/children/${segment(name)}`;

/** Every child with today's numbers and tonight's steps, the plan's time zone and the shared players. */
export const getChildren = () => get<ChildrenList>("api/children");

/** Create or replace the whole plan; a 400 names the field that is wrong and nothing is saved. */
export const putChild = (name: string, plan: ChildPlan) => request<ChildView>("PUT", child(name), plan);

/** The child's quiet ends at once: nothing stays muted for a child who is gone. */
export const deleteChild = (name: string) => request<void>("DELETE", child(name));

/** No body: the plan's own bonus minutes. 409 once the day's bonuses are used up. */
export const grantBonus = (name: string, grant?: BonusGrant) =>
  request<ChildView>("POST", `${child(name)}/bonus`, grant);

/** Answer the request waiting for this child (404 when none waits any more). */
export const answerRequest = (name: string, answer: "allow" | "not_tonight") =>
  request<ChildView>("POST", `${child(name)}/request/${answer}`);

/** Who listens on a shared player now: its quiet and listening follow that child's plan. */
export const setListener = (player: string, childName: string) =>
  request<Listener>("PUT", `api/family/listeners/${segment(player)}`, {child: childName});

/** What a child's shelf holds now (with the references that name nothing). */
export const getShelf = (name: string) => get<ChildShelf>(`${child(name)}/shelf`);

/** Everything that may go on a shelf, a title search narrowing it. */
export const shelfChoices = (q: string) =>
  get<{choices: ShelfChoice[]; total: number}>(`api/shelf/choices?limit=30&q=${encodeURIComponent(q)}`);
