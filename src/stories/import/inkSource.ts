import {Compiler, CompilerOptions, Story} from "inkjs/full";
import {AppError, badRequest} from "../../core/errors.js";
import {MAX_INK_BYTES, refuseLargeInk, refuseUnloadableInk} from "./inkLimits.js";

export {MAX_INK_BYTES};

/** inkle's compiler reports a problem of the story as this kind (its ErrorType.Error); warnings are 1. */
const INK_ERROR = 2;

/** Thrown from the compiler's error handler: the story is refused, so its compile goes no further. */
class FirstError extends Error {}

/**
 * The compiled story (ink's runtime JSON) of an import: `.ink` source through inkle's compiler, or an
 * already compiled `.json` (what Inky's "export to JSON" writes) checked by loading it. Compile
 * errors are the compiler's own messages with their lines, since they point at the author's text.
 */
export function compiledInk(filename: string, bytes: Buffer): {json: string; warnings: string[]} {
  refuseLargeInk(filename, bytes);
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  if (/\.json$/i.test(filename)) return {json: checkedJson(filename, text), warnings: []};
  if (!/\.ink$/i.test(filename))
    throw badRequest(`'${filename}' is not an ink story: name it .ink (source) or .json (compiled)`, "bad_story_file");
  // What could never load is refused before the compiler's minutes and gigabyte.
  refuseUnloadableInk(filename, bytes);
  // The first error decides the answer: compiling on (one cascading into hundreds) only costs time and memory.
  const stopAtFirstError = (message: string, type: number) => {
    if (type === INK_ERROR) throw new FirstError(message);
  };
  const compiler = new Compiler(text, new CompilerOptions(null, [], false, stopAtFirstError, null));
  let json: string;
  try {
    json = compiler.Compile().ToJson() as string;
  } catch (err) {
    // Stopped at its first error, or the compiler's bare "Compilation failed." with its errors kept.
    const first = compiler.errors[0];
    if (first === undefined) throw err;
    throw badRequest(`'${filename}' does not compile: ${plain(first)}`, "ink_compile_error");
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
