// Another program holding the state database: opens it, takes an exclusive lock, says "locked" on
// stdout, holds it for the given milliseconds, then commits and exits.
import sqlite3 from "sqlite3";

const [file, holdMs] = process.argv.slice(2) as [string, string];
const db = new sqlite3.Database(file);
db.exec("BEGIN EXCLUSIVE", (err) => {
  if (err) throw err;
  process.stdout.write("locked\n");
  setTimeout(() => db.exec("COMMIT", () => db.close()), Number(holdMs));
});
