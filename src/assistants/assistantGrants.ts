import {badRequest} from "../core/errors.js";

/**
 * What one assistant may do (docs/assistants.md): a parent gives it when making a token or approving
 * an OAuth request. `readOnly`: only the tools that read (what's playing, listened today, bedtime,
 * the shelf); `children`: only these children's Yotos and shelves (none listed: every child's).
 * Kept with the assistant, so a restart keeps it.
 */
export interface AssistantGrants {
  readOnly: boolean;
  /** The children it acts for and reads, as the family plan spells them; empty: every child. */
  children: string[];
}

/** Everything: the grants of an assistant made before grants existed, and of one given none. */
export const EVERY_GRANT: AssistantGrants = Object.freeze({readOnly: false, children: []}) as AssistantGrants;

/** As many children as a family plan holds: past it, a list is refused rather than cut. */
const MAX_CHILDREN = 20;

/**
 * The grants a request body gives (`{"read_only": true, "children": ["Mia"]}`), checked against the
 * children the family plan has now: a name is taken in the family's own spelling, in any capitals;
 * a name the plan does not have is a 400 naming those it has. A body without them gives everything.
 */
export function grantsOf(body: Record<string, unknown>, family: readonly string[]): AssistantGrants {
  const readOnly = Object.hasOwn(body, "read_only") ? body.read_only : false;
  if (typeof readOnly !== "boolean")
    throw badRequest(
      '"read_only" is true (the assistant may only ask what is playing, what was listened to, bedtime, the week, last night and a shelf) or false',
      "bad_assistant_grants",
    );
  const raw = Object.hasOwn(body, "children") ? body.children : [];
  if (!Array.isArray(raw) || raw.length > MAX_CHILDREN || raw.some((c) => typeof c !== "string"))
    throw badRequest(
      `"children" lists the children the assistant may act for, by name (["Mia"]), at most ${MAX_CHILDREN}; leave it out for every child`,
      "bad_assistant_grants",
    );
  const children: string[] = [];
  for (const asked of raw as string[]) {
    const name = family.find((c) => c.toLowerCase() === asked.trim().toLowerCase());
    if (!name)
      throw badRequest(
        family.length
          ? `There is no child '${asked.trim().slice(0, 60)}' in the family plan: the children are ${family.join(", ")}`
          : "The family plan has no children yet: add them on the Family page before giving an assistant one child",
        "unknown_child",
      );
    if (!children.includes(name)) children.push(name);
  }
  return {readOnly, children};
}

/** Whether the grants cover a child (every child when none are listed). */
export function grantsChild(grants: AssistantGrants, child: string): boolean {
  return grants.children.length === 0 || grants.children.includes(child);
}

/** The grants as words a parent reads in a list or a log line: "read-only, Mia only". */
export function grantWords(grants: AssistantGrants): string {
  const who = grants.children.length ? `${grants.children.join(" and ")} only` : "every child";
  return grants.readOnly ? `read-only, ${who}` : who === "every child" ? "everything" : who;
}
