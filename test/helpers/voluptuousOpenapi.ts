/**
 * A port of the rules `voluptuous_openapi.convert_to_voluptuous` applies to a JSON schema, and of the
 * way voluptuous then validates data against what it built. Home Assistant's MCP integration runs
 * `convert_to_voluptuous(tool.inputSchema)` on every tool it lists, and its LLM helper validates the
 * model's arguments with the result before the tool is called.
 *
 * Upstream read (facts only, no code copied):
 * - allenporter/voluptuous-openapi `voluptuous_openapi/__init__.py` @ 16d080c70cb427e7de7d54363008aa3a184afb71
 *   (`convert_to_voluptuous`, `resolve_ref`, `LazySchema`, `OPENAPI_UNSUPPORTED_KEYWORDS`, `TYPES_MAP`)
 * - allenporter/voluptuous-openapi `tests/test_lib.py` @ 16d080c70cb427e7de7d54363008aa3a184afb71
 * - home-assistant/core `homeassistant/components/mcp/coordinator.py` @ 1400c8be733a88bbd7b03b7f94bbd593d313562e
 *   (a tool whose schema does not convert fails the whole refresh: UpdateFailed)
 * - home-assistant/core `homeassistant/helpers/llm.py` (`APIInstance.async_call_tool`: `tool.parameters(tool_args)`)
 * - allenporter/voluptuous-openapi `voluptuous_openapi/__init__.py` @ 47479d3db48832017223d7fb49aba3e43d5a994b
 *   (0.1.0, which Home Assistant shipped for a while): `release: "0.1.0"` reads its rules, which know no
 *   `enum`, `$ref`, `nullable` or type lists (an enum is dropped: `{"type": "string", "enum": …}` is `str`),
 *   and refuse minItems and maxItems too
 * Voluptuous's own behaviour (type checks with isinstance, PREVENT_EXTRA by default, Required/Optional,
 * In/Range/Length/Match/Datetime/Any/All) is described from the voluptuous library's documented semantics.
 */

/** What `convert_to_voluptuous` built, as plain data. */
export type Validator =
  /** A bare Python type from TYPES_MAP_REV: int, str, float, bool. */
  | {kind: "type"; type: "int" | "str" | "float" | "bool"}
  /** `vol.Schema(None)`: only null. */
  | {kind: "none"}
  /** `vol.In(enum)`. */
  | {kind: "in"; values: unknown[]}
  /** `vol.Match(re.compile(pattern))`. */
  | {kind: "match"; pattern: string}
  /** `vol.Datetime()` (default format `%Y-%m-%dT%H:%M:%S.%fZ`). */
  | {kind: "datetime"}
  | {kind: "length"; min?: number; max?: number}
  | {kind: "range"; min?: number; max?: number}
  | {kind: "all"; validators: Validator[]}
  | {kind: "any"; validators: Validator[]}
  | {
      kind: "object";
      keys: ObjectKey[];
      /** PREVENT_EXTRA (the default), ALLOW_EXTRA (additionalProperties: true), or vol.Extra: validator. */
      extra: "prevent" | "allow" | Validator;
      /** `vol.Required(vol.Any(*keys)): object`, from an object's anyOf of `{required: [...]}` entries. */
      requiredAnyOf?: string[];
    }
  | {kind: "list"; item: Validator}
  /** `LazySchema`: a `$ref` resolved against the root schema on first use. */
  | {kind: "ref"; ref: string; root: JsonSchema};

export interface ObjectKey {
  name: string;
  required: boolean;
  description?: string;
  validator: Validator;
}

export type JsonSchema = Record<string, unknown>;

/** Raised where convert_to_voluptuous raises ValueError. */
export class ConversionError extends Error {}

/** Raised where voluptuous raises vol.Invalid / MultipleInvalid. */
export class VoluptuousInvalid extends Error {
  constructor(
    readonly msg: string,
    readonly path: (string | number)[] = [],
  ) {
    super(path.length ? `${msg} @ data${path.map((p) => `[${JSON.stringify(p)}]`).join("")}` : msg);
  }
}

// OPENAPI_UNSUPPORTED_KEYWORDS in voluptuous_openapi/__init__.py (minItems/maxItems were on this list in
// 0.1.0 and are supported at the commit read).
const UNSUPPORTED_KEYWORDS = ["allOf", "multipleOf", "uniqueItems"];
// TYPES_MAP_REV in voluptuous_openapi/__init__.py.
const BASIC_TYPES: Record<string, "int" | "str" | "float" | "bool"> = {
  integer: "int",
  string: "str",
  number: "float",
  boolean: "bool",
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const nullable = (schema: JsonSchema, v: Validator): Validator =>
  // "Handle OpenAPI 3.0 nullable property": vol.Any(validator, None).
  schema.nullable === true ? {kind: "any", validators: [v, {kind: "none"}]} : v;

/**
 * The rules of `convert_to_voluptuous(schema, root_schema)` in order (voluptuous_openapi/__init__.py).
 * Keywords it does not read (`$schema`, `$defs`, `title`, `default`, `format` other than date-time,
 * `exclusiveMinimum`, ...) are ignored, not refused.
 */
export type Release = "0.1.0" | "16d080c";

export function convertToVoluptuous(schema: unknown, root?: JsonSchema, release: Release = "16d080c"): Validator {
  if (!isObject(schema)) throw new ConversionError("Invalid schema, expected a dictionary");
  if (release === "0.1.0") return convertAsOf010(schema);
  const rootSchema = root ?? schema;
  // `$ref` wins over everything else in the same schema object: LazySchema.
  if ("$ref" in schema) return {kind: "ref", ref: String(schema.$ref), root: rootSchema};
  // `enum` is checked before the type and before the unsupported keywords.
  if (schema.enum !== undefined && schema.enum !== null) {
    if (!Array.isArray(schema.enum)) throw new ConversionError("Invalid schema, enum should be a list");
    const inV: Validator = {kind: "in", values: schema.enum};
    return schema.nullable === true ? {kind: "any", validators: [inV, {kind: "none"}]} : inV;
  }
  for (const keyword of UNSUPPORTED_KEYWORDS) {
    if (keyword in schema) throw new ConversionError(`${keyword} is not supported`);
  }
  // oneOf is converted with anyOf semantics (vol.Any), as the upstream comment says.
  if (schema.oneOf !== undefined && schema.oneOf !== null) {
    if (!Array.isArray(schema.oneOf)) throw new ConversionError("Invalid schema, oneOf should be a list");
    return {kind: "any", validators: schema.oneOf.map((s) => convertToVoluptuous(s, rootSchema))};
  }
  if (schema.anyOf !== undefined && schema.anyOf !== null) {
    if (!Array.isArray(schema.anyOf)) throw new ConversionError("Invalid schema, anyOf should be a list");
    // An object's anyOf made only of `{required: [...]}` is a key constraint, handled below.
    const requiredOnly = schema.anyOf.every(
      (s) => isObject(s) && Object.keys(s).length === 1 && Array.isArray(s.required),
    );
    if (!(requiredOnly && schema.type === "object")) {
      return {kind: "any", validators: schema.anyOf.map((s) => convertToVoluptuous(s, rootSchema))};
    }
  }
  const type = schema.type;
  if (type === undefined || type === null) throw new ConversionError("Invalid schema, missing type");
  if (type === "null") return {kind: "none"};
  // OpenAPI 3.1 type arrays: each entry converted with a copy of the schema, "null" becomes None.
  if (Array.isArray(type)) {
    if (type.length === 0) throw new ConversionError("Invalid schema, type array cannot be empty");
    return {
      kind: "any",
      validators: type.map((t) =>
        t === "null" ? {kind: "none"} : convertToVoluptuous({...schema, type: t}, rootSchema),
      ),
    };
  }
  const basic = typeof type === "string" ? BASIC_TYPES[type] : undefined;
  if (basic) {
    let v: Validator = {kind: "type", type: basic};
    if (type === "string") {
      if (schema.pattern !== undefined && schema.pattern !== null) v = {kind: "match", pattern: String(schema.pattern)};
      else if (schema.format === "date-time") v = {kind: "datetime"};
      else if (schema.minLength != null || schema.maxLength != null) {
        v = {kind: "all", validators: [v, {kind: "length", ...bounds(schema.minLength, schema.maxLength)}]};
      }
    } else if (type === "integer" || type === "number") {
      if (schema.minimum != null || schema.maximum != null) {
        v = {kind: "all", validators: [v, {kind: "range", ...bounds(schema.minimum, schema.maximum)}]};
      }
    }
    return nullable(schema, v);
  }
  if (type === "object") {
    const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
    const props = isObject(schema.properties) ? schema.properties : {};
    const keys: ObjectKey[] = Object.entries(props).map(([name, value]) => ({
      name,
      required: required.has(name),
      ...(isObject(value) && typeof value.description === "string" ? {description: value.description} : {}),
      validator: convertToVoluptuous(value, rootSchema),
    }));
    const out: Validator = {kind: "object", keys, extra: "prevent"};
    if (Array.isArray(schema.anyOf)) {
      const anyKeys = schema.anyOf.flatMap((s) =>
        isObject(s) && Array.isArray(s.required) ? s.required.map(String) : [],
      );
      if (anyKeys.length) out.requiredAnyOf = anyKeys;
    }
    const extra = schema.additionalProperties;
    // Only `true` allows extra keys; `false`, absent or anything else keeps PREVENT_EXTRA; a schema
    // object becomes `vol.Extra: <converted>`.
    if (extra === true) out.extra = "allow";
    else if (isObject(extra)) out.extra = convertToVoluptuous(extra, rootSchema);
    return nullable(schema, out);
  }
  if (type === "array") {
    // `schema["items"]` is read unguarded upstream: a missing items raises (KeyError, not ValueError).
    if (!("items" in schema)) throw new ConversionError("'items'");
    const list: Validator = {kind: "list", item: convertToVoluptuous(schema.items, rootSchema)};
    const v: Validator =
      schema.minItems != null || schema.maxItems != null
        ? {kind: "all", validators: [list, {kind: "length", ...bounds(schema.minItems, schema.maxItems)}]}
        : list;
    return nullable(schema, v);
  }
  throw new ConversionError(`Unable to convert schema: ${JSON.stringify(schema)}`);
}

/**
 * 0.1.0's `convert_to_voluptuous`: the unsupported keywords (minItems and maxItems among them), oneOf
 * and anyOf as vol.Any, then the type; `enum`, `nullable` and `$ref` are not read at all.
 */
function convertAsOf010(schema: JsonSchema): Validator {
  for (const keyword of [...UNSUPPORTED_KEYWORDS, "minItems", "maxItems"])
    if (keyword in schema) throw new ConversionError(`${keyword} is not supported`);
  for (const key of ["oneOf", "anyOf"]) {
    const list = schema[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new ConversionError(`Invalid schema, ${key} should be a list`);
    return {kind: "any", validators: list.map((s) => convertToVoluptuous(s, undefined, "0.1.0"))};
  }
  const type = schema.type;
  if (type === undefined || type === null) throw new ConversionError("Invalid schema, missing type");
  if (type === "null") return {kind: "none"};
  const basic = typeof type === "string" ? BASIC_TYPES[type] : undefined;
  if (basic) {
    const v: Validator = {kind: "type", type: basic};
    if (type === "string") {
      if (schema.pattern != null) return {kind: "match", pattern: String(schema.pattern)};
      if (schema.format === "date-time") return {kind: "datetime"};
      if (schema.minLength != null || schema.maxLength != null)
        return {kind: "all", validators: [v, {kind: "length", ...bounds(schema.minLength, schema.maxLength)}]};
    }
    if ((type === "integer" || type === "number") && (schema.minimum != null || schema.maximum != null))
      return {kind: "all", validators: [v, {kind: "range", ...bounds(schema.minimum, schema.maximum)}]};
    return v;
  }
  if (type === "object") {
    const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
    const props = isObject(schema.properties) ? schema.properties : {};
    const keys: ObjectKey[] = Object.entries(props).map(([name, value]) => ({
      name,
      required: required.has(name),
      ...(isObject(value) && typeof value.description === "string" ? {description: value.description} : {}),
      validator: convertToVoluptuous(value, undefined, "0.1.0"),
    }));
    return {kind: "object", keys, extra: schema.additionalProperties === true ? "allow" : "prevent"};
  }
  if (type === "array") {
    if (!("items" in schema)) throw new ConversionError("'items'");
    return {kind: "list", item: convertToVoluptuous(schema.items, undefined, "0.1.0")};
  }
  throw new ConversionError(`Unable to convert schema: ${JSON.stringify(schema)}`);
}

function bounds(min: unknown, max: unknown): {min?: number; max?: number} {
  return {...(min != null ? {min: Number(min)} : {}), ...(max != null ? {max: Number(max)} : {})};
}

/** `resolve_ref`: local JSON pointers only ("#", "#/a/b", with ~1 and ~0 unescaped). */
export function resolveRef(ref: string, root: JsonSchema): unknown {
  if (!ref.startsWith("#")) throw new ConversionError(`External/relative $ref not supported: ${ref}`);
  if (ref === "#") return root;
  const parts = ref.replace(/^#+/, "").split("/");
  if (parts[0] === "") parts.shift();
  let current: unknown = root;
  for (const raw of parts) {
    const part = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (isObject(current) && part in current) current = current[part];
    else if (Array.isArray(current) && /^\d+$/.test(part) && Number(part) < current.length)
      current = current[Number(part)];
    else throw new ConversionError(`Could not resolve ref ${ref} at key ${part}`);
  }
  return current;
}

/** Python's `==` as `vol.In` uses it: 1 == 1.0 == True, "a" == "a". */
function pyEquals(a: unknown, b: unknown): boolean {
  const num = (v: unknown) => (typeof v === "boolean" ? Number(v) : v);
  const x = num(a);
  const y = num(b);
  if (typeof x === "number" && typeof y === "number") return x === y;
  if (isObject(x) || Array.isArray(x)) return JSON.stringify(x) === JSON.stringify(y);
  return x === y;
}

/**
 * Python's `isinstance` for the four types, as data parsed by Python's json module arrives: a JSON
 * number without a fraction or exponent is an int, and bool is a subclass of int. A JS number cannot say
 * whether it was written `1` or `1.0`; integral numbers are treated as Python ints. So a `number`
 * property rejects `5` (voluptuous says "expected float"), as HA does for `5` in the model's JSON.
 */
function isInstance(data: unknown, type: "int" | "str" | "float" | "bool"): boolean {
  switch (type) {
    case "str":
      return typeof data === "string";
    case "bool":
      return typeof data === "boolean";
    case "int":
      return typeof data === "boolean" || (typeof data === "number" && Number.isInteger(data));
    case "float":
      return typeof data === "number" && !Number.isInteger(data);
  }
}

// strptime with `%Y-%m-%dT%H:%M:%S.%fZ`: %f takes 1-6 digits, the other fields 1-2 (4 for %Y).
const DATETIME = /^\d{4}-\d{1,2}-\d{1,2}T\d{1,2}:\d{1,2}:\d{1,2}\.\d{1,6}Z$/;

/** Validate as voluptuous would; returns the validated value, throws VoluptuousInvalid. */
export function validate(v: Validator, data: unknown, path: (string | number)[] = []): unknown {
  switch (v.kind) {
    case "type":
      if (!isInstance(data, v.type)) throw new VoluptuousInvalid(`expected ${v.type}`, path);
      return data;
    case "none":
      if (data !== null) throw new VoluptuousInvalid("not a valid value", path);
      return data;
    case "in":
      if (!v.values.some((x) => pyEquals(x, data)))
        throw new VoluptuousInvalid(`value must be one of ${JSON.stringify(v.values)}`, path);
      return data;
    case "match":
      // re.match anchors at the start only.
      if (typeof data !== "string" || !new RegExp(v.pattern, "y").test(data)) {
        throw new VoluptuousInvalid(`does not match regular expression ${v.pattern}`, path);
      }
      return data;
    case "datetime":
      if (typeof data !== "string" || !DATETIME.test(data))
        throw new VoluptuousInvalid("value does not match expected format %Y-%m-%dT%H:%M:%S.%fZ", path);
      return data;
    case "length": {
      const len =
        typeof data === "string" || Array.isArray(data)
          ? data.length
          : isObject(data)
            ? Object.keys(data).length
            : undefined;
      if (len === undefined) throw new VoluptuousInvalid("invalid value", path);
      if (v.min !== undefined && len < v.min)
        throw new VoluptuousInvalid(`length of value must be at least ${v.min}`, path);
      if (v.max !== undefined && len > v.max)
        throw new VoluptuousInvalid(`length of value must be at most ${v.max}`, path);
      return data;
    }
    case "range": {
      const n = typeof data === "boolean" ? Number(data) : data;
      if (typeof n !== "number") throw new VoluptuousInvalid("invalid value", path);
      if (v.min !== undefined && n < v.min) throw new VoluptuousInvalid(`value must be at least ${v.min}`, path);
      if (v.max !== undefined && n > v.max) throw new VoluptuousInvalid(`value must be at most ${v.max}`, path);
      return data;
    }
    case "all":
      return v.validators.reduce((value, inner) => validate(inner, value, path), data);
    case "any": {
      let first: VoluptuousInvalid | undefined;
      for (const inner of v.validators) {
        try {
          return validate(inner, data, path);
        } catch (err) {
          if (!(err instanceof VoluptuousInvalid)) throw err;
          first ??= err;
        }
      }
      throw first ?? new VoluptuousInvalid("no valid value found", path);
    }
    case "list":
      if (!Array.isArray(data)) throw new VoluptuousInvalid("expected list", path);
      return data.map((item, i) => validate(v.item, item, [...path, i]));
    case "ref":
      return validate(convertToVoluptuous(resolveRef(v.ref, v.root), v.root), data, path);
    case "object": {
      if (!isObject(data)) throw new VoluptuousInvalid("expected a dictionary", path);
      const out: Record<string, unknown> = {};
      const known = new Map(v.keys.map((k) => [k.name, k]));
      for (const [key, value] of Object.entries(data)) {
        const spec = known.get(key);
        if (spec) out[key] = validate(spec.validator, value, [...path, key]);
        else if (v.requiredAnyOf?.includes(key))
          out[key] = value; // `vol.Required(vol.Any(...)): object`
        else if (v.extra === "allow") out[key] = value;
        else if (v.extra === "prevent") throw new VoluptuousInvalid("extra keys not allowed", [...path, key]);
        else out[key] = validate(v.extra, value, [...path, key]);
      }
      for (const k of v.keys) {
        if (k.required && !(k.name in data))
          throw new VoluptuousInvalid("required key not provided", [...path, k.name]);
      }
      if (v.requiredAnyOf && !v.requiredAnyOf.some((k) => k in data)) {
        throw new VoluptuousInvalid("required key not provided", [...path, v.requiredAnyOf.join("|")]);
      }
      return out;
    }
  }
}

/** Convert then validate in one go: what HA does from the tool list to the tool call. */
export function haAccepts(
  schema: unknown,
  args: unknown,
  release: Release = "16d080c",
): {ok: true; value: unknown} | {ok: false; error: string} {
  try {
    return {ok: true, value: validate(convertToVoluptuous(schema, undefined, release), args)};
  } catch (err) {
    return {ok: false, error: err instanceof Error ? err.message : String(err)};
  }
}
