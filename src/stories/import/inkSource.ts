import {Compiler, Story} from "inkjs/full";
import {AppError, badRequest} from "../../core/errors.js";

/** The largest story file taken (the bound, the same as Twine's). */
export const MAX_INK_BYTES = 5 * 1024 * 1024;

/**
 * The compiled story (ink's runtime JSON) of an import: `.ink` source through inkle's compiler, or an
 * already compiled `.json` (what Inky's "export to JSON" writes) checked by loading it. Compile
 * errors are the compiler's own messages with their lines, since they point at the author's text.
 */
export function compiledInk(filename: string, bytes: Buffer): {json: string; warnings: string[]} {
  if (bytes.length > MAX_INK_BYTES)
    throw badRequest(
      `'${filename}' is ${bytes.length} bytes: an ink story may be at most ${MAX_INK_BYTES} bytes (5 MB)`,
      "story_too_large",
    );
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  if (/\.json$/i.test(filename)) return {json: checkedJson(filename, text), warnings: []};
  if (!/\.ink$/i.test(filename))
    throw badRequest(`'${filename}' is not an ink story: name it .ink (source) or .json (compiled)`, "bad_story_file");
  const compiler = new Compiler(text);
  let json: string;
  try {
    json = compiler.Compile().ToJson() as string;
  } catch (err) {
    // The compiler throws a bare "Compilation failed." and keeps what went wrong in its errors.
    const errors = compiler.errors.map(plain);
    if (errors.length === 0) throw err;
    throw badRequest(`'${filename}' does not compile: ${errors.join("; ")}`, "ink_compile_error");
  }
  // The service loads a compiled story up to the same size: refused now, not once it is written.
  const size = Buffer.byteLength(json);
  if (size > MAX_INK_BYTES)
    throw new AppError(
      "story_too_large",
      `'${filename}' compiles to ${megabytes(size)} MB of ink JSON, and a compiled story loads up to 5 MB: split the story in two (each part its own story). Nothing was imported`,
      {status: 413},
    );
  return {json, warnings: compiler.warnings.map(plain)};
}

function checkedJson(filename: string, text: string): string {
  try {
    // inkle's loader reads a wrong shape as its own class code ("5 is not of type class k extends…"):
    // the shape is checked first, so the author reads what is wrong.
    const parsed = JSON.parse(text) as {inkVersion?: unknown; root?: unknown} | null;
    if (typeof parsed?.inkVersion === "number" && !Array.isArray(parsed.root))
      throw new Error("its root is not a list of ink content");
    new Story(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw badRequest(
      `'${filename}' is not a compiled ink story (${why}): import the .ink source, or export JSON from Inky`,
      "bad_ink_json",
    );
  }
  return text;
}

/** "ERROR: line 2: Divert target not found" -> "line 2: Divert target not found". */
function plain(message: string): string {
  return message.replace(/^(ERROR|WARNING|TODO): /, "");
}

function megabytes(bytes: number): string {
  return (Math.round((bytes / (1024 * 1024)) * 10) / 10).toFixed(1);
}
