/**
 * Where an option sits in a YAML file, e.g. `[0, "triggers", 1, "at"]`; errors point there. Rule
 * files and story files both report through it, so it lives below both.
 */
export type ConfigPath = Array<string | number>;

/** `[0, "triggers", 1, "at"]` → `[0].triggers[1].at`. */
export function formatPath(path: ConfigPath): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
