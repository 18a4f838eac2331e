import path from "node:path";
import {fileURLToPath} from "node:url";

/** The package's own folder (where package.json, rules/ and dist/ui are), from src/ or dist/ alike. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
