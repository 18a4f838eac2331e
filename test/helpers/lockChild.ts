// Another program holding the state database: opens it, takes an exclusive lock, says "locked" on
// stdout, and holds it for the given milliseconds, or (none given) until its stdin says "release"
// or closes; then commits and exits.
import sqlite3 from "sqlite3";

const [file, holdMs] = process.argv.slice(2) as [string, string | undefined];
const db = new sqlite3.Database(file);
db.exec("BEGIN EXCLUSIVE", (err) => {
  if (err) throw err;
  process.stdout.write("locked\n");
  let held = true;
  const letGo = () => {
    if (!held) return;
    held = false;
    db.exec("COMMIT", () => db.close());
  };
  if (holdMs) setTimeout(letGo, Number(holdMs));
  else {
    process.stdin.once("data", letGo);
    process.stdin.once("end", letGo);
  }
});
