import type {ConfigPath} from "../core/configPath.js";

/** A problem in a rule, with where it is; the loader turns the path into file:line:col. */
export class RuleError extends Error {
  constructor(
    readonly path: ConfigPath,
    message: string,
    /** Point at the key named last in `path` rather than its value (an unknown or misspelt key). */
    readonly atKey = false,
  ) {
    super(message);
    this.name = "RuleError";
  }
}

/** Every problem found in one rule, so a file is reported whole in one go. */
export class RuleErrors extends Error {
  constructor(readonly errors: RuleError[]) {
    super(errors.map((e) => e.message).join("; "));
    this.name = "RuleErrors";
  }
}

/** Run `step`; a rule problem is added to `into` instead of stopping the rest of the checks. */
export function collecting<T>(into: RuleError[], step: () => T): T | undefined {
  try {
    return step();
  } catch (err) {
    if (err instanceof RuleErrors) into.push(...err.errors);
    else if (err instanceof RuleError) into.push(err);
    else throw err;
    return undefined;
  }
}
