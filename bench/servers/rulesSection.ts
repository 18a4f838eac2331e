// The rules section in a fresh process: it measures, sends its rows to the bench and waits to be stopped.
import {measureRules} from "../rules.js";

const [workDir] = process.argv.slice(2) as [string];
const rows = await measureRules(workDir);
process.send?.({rows});
process.on("SIGTERM", () => process.exit(0));
