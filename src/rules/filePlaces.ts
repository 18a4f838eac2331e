import {type Document, isMap, isScalar, LineCounter} from "yaml";
import {parseYamlDocument} from "../core/boundedYaml.js";
import type {ConfigPath} from "../core/configPath.js";

export interface Place {
  line: number;
  col: number;
}

/**
 * Where things are written in one rules or story file, to place an error message.
 *
 * The parsed YAML document is several times the size of the rules compiled from it, and only an
 * error needs it. Kept for every file until the whole folder had compiled, it outlived the young
 * generation and made loading 1,000 rules spend about a fifth of its time in the garbage collector.
 * So only the text is kept, and it is parsed again (the same text parses to the same nodes) the
 * first time a place is asked for.
 */
export class FilePlaces {
  readonly #text: string;
  #parsed?: {doc: Document; lines: LineCounter};

  /** `parsed`: the document the text was just read into, used until `release()`. */
  constructor(text: string, parsed?: {doc: Document; lines: LineCounter}) {
    this.#text = text;
    this.#parsed = parsed;
  }

  /** Let the document go; a later question parses the text again. */
  release(): void {
    this.#parsed = undefined;
  }

  /** Line and column of the deepest node that exists along `where` (a missing key points at its parent). */
  at(where: ConfigPath): Place {
    const {doc, lines} = this.#document();
    for (let depth = where.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(where.slice(0, depth), true);
      const range = (node as {range?: [number, number, number]} | undefined)?.range;
      if (range) return lines.linePos(range[0]);
    }
    return {line: 1, col: 1};
  }

  /** Where the key named last in `where` is written (`condtions:` itself, not its value). */
  atKey(where: ConfigPath): Place {
    const {doc, lines} = this.#document();
    const parent = where.length > 1 ? doc.getIn(where.slice(0, -1), true) : doc.contents;
    const key = where.at(-1);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
      const range = (pair?.key as {range?: [number, number, number]} | undefined)?.range;
      if (range) return lines.linePos(range[0]);
    }
    return this.at(where);
  }

  #document(): {doc: Document; lines: LineCounter} {
    if (!this.#parsed) {
      const lines = new LineCounter();
      this.#parsed = {doc: parseYamlDocument(this.#text, lines), lines};
    }
    return this.#parsed;
  }
}
