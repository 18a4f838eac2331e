// Baseline for startup and memory: plain Node doing nothing.
process.send({ready: {ms: performance.now(), rss: process.memoryUsage().rss}});
process.on("message", (m) => {
  if (m.cmd === "rss") process.send({rss: {rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed}});
});
process.on("SIGTERM", () => process.exit(0));
