// Yoto's cloud (the simulator) in a process of its own, as the real one is elsewhere: its work
// serving the family's card list (thousands of cards, every 30 s) is not counted as the service's,
// nor does it hold the benchmark's own client. The demo's players, and `cards` cards on the account.
import {YotoSimulator} from "../../src/sim/simulator.js";
import {addFamilyCards} from "../cloud.js";

// argv: how many cards the family has (the first titled "Songs").
const cards = Number(process.argv[2] ?? "0");
const sim = new YotoSimulator({});
await sim.start();
addFamilyCards(sim, cards);
process.send?.({ready: {endpoints: sim.endpoints}});
process.on("SIGTERM", () => {
  sim.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
