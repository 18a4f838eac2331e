import type {
  BonusGrant,
  ChildPlan,
  ChildrenList,
  ChildShelf,
  ChildView,
  ChildWeek,
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
  ChildWeek,
  FamilyJournalEntry,
  JournalPart,
  NightOverride,
  ShelfChoice,
  TimelineStep,
  WeekDay,
  Weekday,
} from "../../../src/shared/api/index.js";

export type Listener = ChildrenList["listeners"][number];

export {WEEK} from "./week.js";

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

/** The child's last seven days: minutes against the budget, top titles, refusals, asks, the nights. */
export const getWeek = (name: string) => get<ChildWeek>(`${child(name)}/week`);

/** What a child's shelf holds now (with the references that name nothing). */
export const getShelf = (name: string) => get<ChildShelf>(`${child(name)}/shelf`);

/** Everything that may go on a shelf, a title search narrowing it. */
export const shelfChoices = (q: string) =>
  get<{choices: ShelfChoice[]; total: number}>(`api/shelf/choices?limit=30&q=${encodeURIComponent(q)}`);
