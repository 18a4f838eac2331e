import {ENV_PREFIX} from "./load.js";
import type {OptionName} from "./schema.js";

/**
 * Where a user changes an option, in the words of how the service runs: inside Home Assistant the
 * add-on configuration; under plain Node there is none, so the flag, the environment variable and
 * the options file, in the order `loadConfig` lets them win.
 */
export function whereToSet(option: OptionName, homeAssistant: boolean): string {
  return homeAssistant
    ? "in the add-on configuration"
    : `with --${option}, ${ENV_PREFIX}${option.toUpperCase()} or '${option}' in the --options file`;
}
