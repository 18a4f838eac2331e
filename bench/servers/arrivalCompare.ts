// The arrival bench inside the network namespace bench/upnpArrival.ts made for it: this service and
// gmediarender measured side by side, the rows written to stdout as one line.
import {measureArrival, rowsOf} from "../upnpArrival.js";

const [root] = process.argv.slice(2).map(String) as [string];
const rows = rowsOf(await measureArrival(root, true));
process.stdout.write(`RESULT ${JSON.stringify(rows)}\n`, () => process.exit(0));
