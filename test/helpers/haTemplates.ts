import nunjucks from "nunjucks";

/**
 * Home Assistant's MQTT templates are Jinja2; nunjucks reads the same syntax. What differs is
 * made to behave as HA's Python does: `None`, `True` and `False` print as Python prints them
 * (HA's sensors read the text "None" as unknown), `tojson`, the `none` test, and a value that is
 * not there at all fails the render instead of printing nothing (HA would log a warning and show
 * an empty state: a template reading a field the state JSON does not have).
 */
const runtime = nunjucks.runtime as unknown as {suppressValue(value: unknown, autoescape: boolean): string};
const printValue = runtime.suppressValue.bind(runtime);
runtime.suppressValue = (value, autoescape) => {
  if (value === undefined) throw new Error("prints a value that is not there");
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  return printValue(value, autoescape);
};

const env = new nunjucks.Environment(null, {autoescape: false, throwOnUndefined: false});
env.addFilter("tojson", (value: unknown) => JSON.stringify(value));
// Missing from nunjucks' type definitions, present in nunjucks itself.
(env as unknown as {addTest(name: string, test: (value: unknown) => boolean): void}).addTest(
  "none",
  (value) => value === null,
);

/** Render as HA does for a received payload: `value`, and `value_json` when the payload is JSON. */
export function renderValueTemplate(template: string, payload: string): string {
  let valueJson: unknown;
  try {
    valueJson = JSON.parse(payload);
  } catch {
    valueJson = undefined;
  }
  return env.renderString(template, {value: payload, ...(valueJson !== undefined ? {value_json: valueJson} : {})});
}

/** Render a command template with the variables HA passes (`value`, or a light's colour and brightness). */
export function renderCommandTemplate(template: string, variables: Record<string, unknown>): string {
  return env.renderString(template, variables);
}
