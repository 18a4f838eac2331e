import type {ConfigPath} from "./types.js";

/** A problem in a rule, with where it is; the loader turns the path into file:line:col. */
export class RuleError extends Error {
  constructor(
    readonly path: ConfigPath,
    message: string,
  ) {
    super(message);
    this.name = "RuleError";
  }
}
