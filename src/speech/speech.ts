import {type ChildProcessWithoutNullStreams, execFile, spawn} from "node:child_process";
import {rm, writeFile} from "node:fs/promises";
import {PassThrough, type Readable} from "node:stream";
import {downloadTo} from "../core/download.js";
import {AppError, errorMessage} from "../core/errors.js";
import {lastLines} from "../core/ffmpeg.js";
import {type HttpAnswer, httpRequest, jsonObject} from "../core/httpRequest.js";

/** Starts a program with its standard input, output and error piped. */
export type Spawner = (program: string, args: string[]) => ChildProcessWithoutNullStreams;

/** Home Assistant's Core API through the Supervisor's proxy (`homeassistant_api: true`). */
export interface CoreApi {
  url: string;
  token?: string;
}

export interface SpeechOptions {
  /** Inside Home Assistant: the Supervisor, so the family's own TTS engines speak. */
  core?: CoreApi;
  /** Configured default: a `tts.*` entity, or a local engine name. */
  engine?: string;
  language?: string;
  /** Programs on this machine, in order of preference (tests narrow it). */
  localEngines?: readonly LocalEngine[];
}

export type LocalEngine = "piper" | "espeak-ng" | "flite";
const LOCAL_ENGINES: readonly LocalEngine[] = ["piper", "espeak-ng", "flite"];
const SPEECH_TIMEOUT_MS = 30_000;
const MAX_SPEECH_BYTES = 20 * 1024 * 1024;

/**
 * Text into an audio file (any format ffmpeg reads; the caller makes the player's MP3 of it).
 * Inside Home Assistant the family's own engine speaks (HA's `tts_get_url`, then the audio it made);
 * outside, a program on this machine. Every failure names the engine and what it said.
 */
export class Speech {
  readonly #opts: SpeechOptions;
  /** The local engine found first; looked for once, not with every message. */
  #local?: Promise<LocalEngine>;

  constructor(opts: SpeechOptions) {
    this.#opts = opts;
  }

  async speak(text: string, out: string, ask: {engine?: string; language?: string} = {}): Promise<{engine: string}> {
    const engine = ask.engine ?? this.#opts.engine;
    const language = ask.language ?? this.#opts.language;
    const local = (LOCAL_ENGINES as readonly string[]).includes(engine ?? "");
    if (this.#opts.core?.token && !local) {
      const entity = engine ?? (await this.#firstHaEngine());
      await this.#haSpeak(entity, text, language, out);
      return {engine: entity};
    }
    if (engine && !local)
      throw new AppError(
        "tts_unavailable",
        `Text-to-speech engine '${engine}' is a Home Assistant engine, and this service is not running inside Home Assistant: use ${LOCAL_ENGINES.join(", ")}`,
        {status: 400},
      );
    const name = (engine as LocalEngine | undefined) ?? (await this.#localEngine());
    await localSpeak(name, text, language, out);
    return {engine: name};
  }

  /**
   * Speech as the engine makes it, for an engine that can write it as it goes (espeak-ng, a WAV on
   * its standard output); undefined when the one to use cannot (then `speak` makes a file). Resolves
   * once the first audio came, so a failing engine (an unknown voice) is still an error here.
   */
  async speakStreaming(
    text: string,
    ask: {engine?: string; language?: string} = {},
    /** How to start the engine (announcements keep one started, waiting for its text). */
    start: Spawner = (program, args) => spawn(program, args, {stdio: "pipe"}),
  ): Promise<{engine: string; audio: Readable} | undefined> {
    const engine = ask.engine ?? this.#opts.engine;
    const local = (LOCAL_ENGINES as readonly string[]).includes(engine ?? "");
    if ((this.#opts.core?.token && !local) || (engine && !local)) return undefined;
    const name = (engine as LocalEngine | undefined) ?? (await this.#localEngine());
    if (name !== "espeak-ng") return undefined;
    const language = ask.language ?? this.#opts.language;
    return {engine: name, audio: await espeakStreaming(text, language, start)};
  }

  async #haSpeak(entity: string, message: string, language: string | undefined, out: string): Promise<void> {
    const core = this.#opts.core as CoreApi;
    const headers = {Authorization: `Bearer ${core.token}`};
    const failed = (why: string) =>
      new AppError("tts_failed", `Home Assistant's text-to-speech '${entity}' failed: ${why}`, {
        status: 502,
        expose: true,
      });
    let res: HttpAnswer;
    try {
      res = await httpRequest(`${core.url}/core/api/tts_get_url`, {
        method: "POST",
        headers: {...headers, "Content-Type": "application/json"},
        body: JSON.stringify({engine_id: entity, message, ...(language ? {language} : {}), cache: true}),
        timeoutMs: SPEECH_TIMEOUT_MS,
      });
    } catch (err) {
      throw failed(`Home Assistant could not be reached (${errorMessage(err)})`);
    }
    const body = jsonObject(res.text()) as {path?: unknown; message?: unknown};
    if (!res.ok)
      throw failed(`it answered ${res.status}${typeof body.message === "string" ? ` (${body.message})` : ""}`);
    if (typeof body.path !== "string" || !body.path.startsWith("/")) throw failed("its answer had no audio path");
    try {
      await downloadTo(`${core.url}/core${body.path}`, out, {
        maxBytes: MAX_SPEECH_BYTES,
        timeoutMs: SPEECH_TIMEOUT_MS,
        headers,
      });
    } catch (err) {
      throw failed(errorMessage(err));
    }
  }

  /** The first `tts.*` entity Home Assistant has: the family's engine when none is configured. */
  async #firstHaEngine(): Promise<string> {
    const core = this.#opts.core as CoreApi;
    const none = (why: string) =>
      new AppError(
        "tts_unavailable",
        `No text-to-speech engine in Home Assistant (${why}): add one (Piper, Home Assistant Cloud, Google Translate…) or set 'tts_engine'`,
        {status: 409},
      );
    let states: unknown;
    try {
      const res = await httpRequest(`${core.url}/core/api/states`, {
        headers: {Authorization: `Bearer ${core.token}`},
        timeoutMs: SPEECH_TIMEOUT_MS,
        // Every entity's state: large in a big home.
        maxBytes: 64 * 1024 * 1024,
      });
      if (!res.ok) throw new Error(`it answered ${res.status}`);
      states = JSON.parse(res.text());
    } catch (err) {
      throw none(`its states could not be read: ${errorMessage(err)}`);
    }
    const found = (Array.isArray(states) ? states : [])
      .map((s) => (s as {entity_id?: unknown}).entity_id)
      .find((id): id is string => typeof id === "string" && id.startsWith("tts."));
    if (!found) throw none("it has no tts entity");
    return found;
  }

  #localEngine(): Promise<LocalEngine> {
    this.#local ??= this.#firstLocalEngine();
    // None installed: look again next time (one may have been installed since).
    this.#local.catch(() => {
      this.#local = undefined;
    });
    return this.#local;
  }

  async #firstLocalEngine(): Promise<LocalEngine> {
    for (const engine of this.#opts.localEngines ?? LOCAL_ENGINES) {
      if (engine === "piper" && !process.env.PIPER_MODEL) continue;
      if (await installed(engine)) return engine;
    }
    throw new AppError(
      "tts_unavailable",
      "No text-to-speech engine on this machine: install espeak-ng or flite (or piper, with PIPER_MODEL naming its voice), or run inside Home Assistant",
      {status: 409},
    );
  }
}

/** Speak with a program on this machine; the text goes through a file, never a command line. */
async function localSpeak(engine: LocalEngine, text: string, language: string | undefined, out: string) {
  const textFile = `${out}.txt`;
  await writeFile(textFile, text, {mode: 0o600});
  const args: Record<LocalEngine, string[]> = {
    "espeak-ng": [...(language ? ["-v", language.toLowerCase().replace("_", "-")] : []), "-f", textFile, "-w", out],
    flite: ["-f", textFile, "-o", out],
    piper: ["--model", process.env.PIPER_MODEL ?? "", "--output_file", out],
  };
  try {
    // piper reads its text from standard input.
    await run(engine, args[engine], engine === "piper" ? text : undefined);
  } catch (err) {
    await rm(out, {force: true});
    throw new AppError("tts_failed", `Text-to-speech with '${engine}' failed: ${errorMessage(err)}`, {
      status: 500,
      expose: true,
    });
  } finally {
    await rm(textFile, {force: true});
  }
}

/** espeak-ng writing its WAV to standard output, the text on its standard input (never a command line). */
function espeakStreaming(text: string, language: string | undefined, start: Spawner): Promise<Readable> {
  const voice = language ? ["-v", language.toLowerCase().replace("_", "-")] : [];
  const child = start("espeak-ng", [...voice, "--stdin", "--stdout"]);
  const audio = new PassThrough();
  const timer = setTimeout(() => child.kill("SIGKILL"), SPEECH_TIMEOUT_MS);
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    if (stderr.length < 16_384) stderr += d.toString();
  });
  child.stdout.pipe(audio);
  child.stdin.on("error", () => undefined);
  child.stdin.end(text);
  const failed = (why: string) =>
    new AppError("tts_failed", `Text-to-speech with 'espeak-ng' failed: ${why}`, {status: 500, expose: true});
  return new Promise((resolve, reject) => {
    child.stdout.once("data", () => resolve(audio));
    child.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(failed(err.code === "ENOENT" ? "'espeak-ng' is not installed" : errorMessage(err)));
      audio.destroy();
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(audio);
      const why = lastLines(stderr) || (signal ? "it took too long" : `it exited with ${code}`);
      // Before its first audio this is the answer; after it, the audio just ends early.
      reject(failed(why));
      // Ends the encoder's input where the audio stopped (nobody may be listening for an error).
      audio.destroy();
    });
  });
}

function run(program: string, args: string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(program, args, {timeout: SPEECH_TIMEOUT_MS}, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return reject(new Error(`'${program}' is not installed`));
      reject(new Error(lastLines(String(stderr)) || (err.killed ? "it took too long" : `it exited with ${code}`)));
    });
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(input ?? "");
  });
}

async function installed(program: string): Promise<boolean> {
  return new Promise((resolve) =>
    execFile(program, ["--help"], {timeout: 5000}, (err) =>
      resolve(!err || (err as NodeJS.ErrnoException).code !== "ENOENT"),
    ),
  );
}
