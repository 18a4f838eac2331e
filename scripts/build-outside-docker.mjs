#!/usr/bin/env node
// Run the Dockerfile's steps without a Docker engine, to prove they work:
//   node scripts/build-outside-docker.mjs <work dir>
// Each stage gets a folder under <work dir> standing in for its filesystem root. COPY copies, WORKDIR
// and ENV apply, RUN runs in the stage's working folder, and `apk add` checks that this machine has
// what the package would provide (there is no apk here). At the end it prints, as JSON, the final
// stage's folder, its environment, the health check URL and the command line the add-on's s6
// service would exec, with the image's absolute paths mapped into that folder.
import {execFileSync, spawnSync} from "node:child_process";
import {cpSync, mkdirSync, readFileSync, rmSync, statSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";

const context = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const work = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
if (!work) {
  console.error("usage: node scripts/build-outside-docker.mjs <work dir>");
  process.exit(2);
}
const SERVICE_RUN = "/etc/s6-overlay/s6-rc.d/yoto-smart-stream/run";
// What each Alpine package provides, as a command this machine must have instead.
const APK_PROVIDES = {nodejs: "node", npm: "npm", make: "make", "g++": "g++", python3: "python3", ffmpeg: "ffmpeg"};

function instructions(text) {
  return text
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [, op, rest] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
      if (!op) throw new Error(`cannot read Dockerfile line: ${line}`);
      return {op: op.toUpperCase(), rest};
    });
}

function fail(message) {
  console.error(`build-outside-docker: ${message}`);
  process.exit(1);
}

const args = {};
const stages = [];
let stage;
const inStage = (s, p) => path.join(s.root, path.posix.resolve(s.workdir, p));
const expand = (text) => text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a ?? b] ?? "");

rmSync(work, {recursive: true, force: true});
for (const {op, rest} of instructions(readFileSync(path.join(context, "Dockerfile"), "utf8"))) {
  if (op === "ARG") {
    const [name, value = ""] = rest.split("=");
    args[name] = value;
  } else if (op === "FROM") {
    const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(expand(rest)) ?? [];
    stage = {name: name ?? `stage${stages.length}`, image, workdir: "/", env: {}, root: ""};
    stage.root = path.join(work, stage.name);
    mkdirSync(stage.root, {recursive: true});
    stages.push(stage);
    console.error(`== stage ${stage.name} (${image})`);
  } else if (!stage) fail(`${op} before FROM`);
  else if (op === "WORKDIR") {
    stage.workdir = path.posix.resolve(stage.workdir, rest);
    mkdirSync(inStage(stage, "."), {recursive: true});
  } else if (op === "ENV") {
    for (const pair of rest.split(/\s+/)) {
      const [key, ...value] = pair.split("=");
      stage.env[key] = value.join("=");
    }
  } else if (op === "COPY") {
    const parts = rest.split(/\s+/);
    const from = parts[0].startsWith("--from=") ? parts.shift().slice(7) : undefined;
    const dest = parts.pop();
    const source = from ? stages.find((s) => s.name === from) : undefined;
    if (from && !source) fail(`COPY --from=${from}: no such stage`);
    for (const src of parts) {
      const origin = source ? path.join(source.root, path.posix.resolve(source.workdir, src)) : path.join(context, src);
      const isDir = statSync(origin).isDirectory();
      const target = inStage(stage, dest);
      const into = dest.endsWith("/") || parts.length > 1 || (dest === "." && !isDir) || dest === "./";
      cpSync(origin, isDir || !into ? target : path.join(target, path.basename(src)), {recursive: true});
    }
    console.error(`COPY ${rest}`);
  } else if (op === "RUN") {
    const apk = /^apk add (?:--no-cache )?(.+)$/.exec(rest);
    if (apk) {
      for (const pkg of apk[1].split(/\s+/)) {
        const command = APK_PROVIDES[pkg];
        if (!command) fail(`apk package '${pkg}' has no stand-in on this machine; add it to APK_PROVIDES`);
        if (spawnSync("sh", ["-c", `command -v ${command}`]).status !== 0)
          fail(`'${pkg}' is needed: '${command}' is missing`);
      }
      console.error(`RUN ${rest}  (checked: ${apk[1]})`);
      continue;
    }
    console.error(`RUN ${rest}`);
    try {
      execFileSync("sh", ["-c", rest], {
        cwd: inStage(stage, "."),
        stdio: ["ignore", "inherit", "inherit"],
        env: {...process.env, ...stage.env},
      });
    } catch {
      fail(`step failed: RUN ${rest}`);
    }
  } else if (op === "HEALTHCHECK") {
    // A quoted URL may hold a shell substitution (the port file); else the URL runs to a space.
    const url = /"(https?:\/\/[^"]+)"|(https?:\/\/\S+)/.exec(rest);
    stage.health = url?.[1] ?? url?.[2];
  } else if (!["LABEL", "CMD", "EXPOSE", "ENTRYPOINT", "USER"].includes(op)) fail(`unsupported instruction ${op}`);
}

const final = stages.at(-1);
const run = readFileSync(path.join(final.root, SERVICE_RUN), "utf8");
const exec = /^exec (.+)$/m.exec(run)?.[1];
if (!exec) fail(`${SERVICE_RUN} has no exec line`);
const mapPath = (word) => (word.startsWith("/app/") ? path.join(final.root, word) : word);
console.log(
  JSON.stringify({
    root: final.root,
    workdir: inStage(final, "."),
    env: final.env,
    health: final.health,
    command: exec.split(/\s+/).map(mapPath),
  }),
);
