// The UPnP bench's NOTIFY comparison inside the network namespace bench/upnpNotify.ts made for it:
// this service and gmediarender measured side by side, the rows written to stdout as one line.
import {compare, rowsOf} from "../upnpNotify.js";

const [root] = process.argv.slice(2).map(String) as [string];
const rows = rowsOf(await compare(root, true));
process.stdout.write(`RESULT ${JSON.stringify(rows)}\n`, () => process.exit(0));
