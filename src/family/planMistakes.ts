import {AppError, badRequest} from "../core/errors.js";

/**
 * Every mistake of a plan at once: each part is checked on its own and its problem kept, so a parent
 * mends them all in one go instead of one per save. One mistake is its own 400; several are one 400
 * listing each ("3 mistakes in the plan: …; …; …").
 */
/** Named in full; past these a count: a body of thousands of bad keys must not answer megabytes. */
const MISTAKES_SHOWN = 10;

export class Mistakes {
  readonly found: string[] = [];

  take<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "bad_plan") throw err;
      this.found.push(err.message);
      return undefined;
    }
  }

  throwIfAny(): void {
    if (this.found.length === 1) throw badRequest(this.found[0] as string, "bad_plan");
    if (this.found.length > 1) {
      const shown = this.found.slice(0, MISTAKES_SHOWN);
      const more = this.found.length - shown.length;
      throw badRequest(
        `${this.found.length} mistakes in the plan: ${shown.join("; ")}${more > 0 ? `; … and ${more} more` : ""}`,
        "bad_plan",
      );
    }
  }
}
