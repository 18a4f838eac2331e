// The service for the panel bench in a process of its own, as it runs in the add-on: the browser
// driver and the simulator (Yoto's cloud) are in the bench process, so the driver's work while a
// page loads does not hold up the service's answers to that page.
import {startBenchService} from "../cloud.js";

// argv: work folder, the simulator's endpoints (JSON), how many players to wait for.
const [root, endpoints, count] = process.argv.slice(2).map(String) as [string, string, string];
const app = await startBenchService({root, mediaDirs: []}, endpoints, Number(count));
process.send?.({ready: {url: app.admin.url}});
