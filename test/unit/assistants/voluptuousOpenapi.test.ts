/**
 * Cases taken (as facts: schema in, outcome out) from allenporter/voluptuous-openapi `tests/test_lib.py`
 * @ 16d080c70cb427e7de7d54363008aa3a184afb71, run against our port in test/helpers/voluptuousOpenapi.ts.
 */
import {describe, expect, it} from "vitest";
import {
  ConversionError,
  convertToVoluptuous,
  haAccepts,
  type Validator,
  validate,
} from "../../helpers/voluptuousOpenapi.js";

const accepts = (v: Validator, data: unknown) => expect(() => validate(v, data)).not.toThrow();
const rejects = (v: Validator, data: unknown) => expect(() => validate(v, data)).toThrow();

describe("convert_to_voluptuous port", () => {
  it("maps the four basic types (test_reverse_*_schema)", () => {
    expect(convertToVoluptuous({type: "integer"})).toEqual({kind: "type", type: "int"});
    expect(convertToVoluptuous({type: "string"})).toEqual({kind: "type", type: "str"});
    expect(convertToVoluptuous({type: "number"})).toEqual({kind: "type", type: "float"});
    expect(convertToVoluptuous({type: "boolean"})).toEqual({kind: "type", type: "bool"});
    // isinstance semantics: a JSON integer is not a float; bool is an int.
    rejects(convertToVoluptuous({type: "number"}), 5);
    accepts(convertToVoluptuous({type: "number"}), 5.5);
    accepts(convertToVoluptuous({type: "integer"}), true);
    rejects(convertToVoluptuous({type: "string"}), 1);
  });

  it("refuses a missing or unknown type and non-dict schemas (test_reverse_unknown_type, wrong_type)", () => {
    expect(() => convertToVoluptuous({})).toThrow(ConversionError);
    expect(() => convertToVoluptuous({type: "unknown"})).toThrow(ConversionError);
    expect(() => convertToVoluptuous({oneOf: ["integer"]})).toThrow(ConversionError);
    expect(() => convertToVoluptuous({oneOf: "integer"})).toThrow(ConversionError);
    expect(() => convertToVoluptuous("a")).toThrow(ConversionError);
  });

  it("refuses the unsupported keywords (test_unsupported_features)", () => {
    expect(() => convertToVoluptuous({type: "integer", multipleOf: 2})).toThrow("multipleOf is not supported");
    expect(() => convertToVoluptuous({allOf: [{type: "string"}]})).toThrow("allOf is not supported");
    expect(() => convertToVoluptuous({type: "array", items: {type: "string"}, uniqueItems: true})).toThrow(
      ConversionError,
    );
    // items without a type: missing type.
    expect(() => convertToVoluptuous({type: "array", items: {minItems: 1}})).toThrow(ConversionError);
  });

  it("turns enum into vol.In, nullable enum into Any(In, None)", () => {
    const v = convertToVoluptuous({type: "string", enum: ["beer", "wine"]});
    expect(v).toEqual({kind: "in", values: ["beer", "wine"]});
    accepts(v, "beer");
    rejects(v, "water");
    accepts(convertToVoluptuous({type: "string", enum: ["a"], nullable: true}), null);
  });

  it("applies minimum/maximum and minLength/maxLength (nullable range and length tests)", () => {
    const int = convertToVoluptuous({type: "integer", minimum: 1, maximum: 10, nullable: true});
    accepts(int, 5);
    accepts(int, null);
    rejects(int, 15);
    const num = convertToVoluptuous({type: "number", minimum: 0.0, maximum: 100.0, nullable: true});
    accepts(num, 50.5);
    rejects(num, -1.5);
    rejects(num, 101.5);
    const str = convertToVoluptuous({type: "string", minLength: 3, maxLength: 10, nullable: true});
    accepts(str, "hello");
    rejects(str, "hi");
    rejects(str, "verylongstring");
  });

  it("matches pattern from the start and date-time with fraction and Z", () => {
    const p = convertToVoluptuous({type: "string", pattern: "^test", nullable: true});
    accepts(p, "testing");
    accepts(p, null);
    rejects(p, "nottest");
    const dt = convertToVoluptuous({type: "string", format: "date-time"});
    accepts(dt, "2025-01-01T12:32:55.11Z");
    rejects(dt, "2021-01-01");
    rejects(dt, "abc");
  });

  it("gives oneOf and anyOf vol.Any semantics (test_mixed_type_list)", () => {
    const v = convertToVoluptuous({type: "array", items: {oneOf: [{type: "string"}, {type: "integer"}]}});
    accepts(v, ["a", "b"]);
    accepts(v, [1, 2]);
    accepts(v, ["a", 1, "b", 2]);
    rejects(v, "abc");
    rejects(v, 123);
    const any = convertToVoluptuous({anyOf: [{type: "string"}, {type: "null"}]});
    expect(any).toEqual({kind: "any", validators: [{kind: "type", type: "str"}, {kind: "none"}]});
  });

  it("handles OpenAPI 3.1 type arrays", () => {
    const v = convertToVoluptuous({type: ["string", "integer", "null"]});
    accepts(v, "test");
    accepts(v, 42);
    accepts(v, null);
    rejects(v, 3.14);
    rejects(convertToVoluptuous({type: ["string", "integer"]}), null);
    rejects(convertToVoluptuous({type: ["null"]}), "test");
  });

  it("keeps required vs optional keys and descriptions in order (test_convert_to_voluptuous_marker_description)", () => {
    const v = convertToVoluptuous({
      type: "object",
      properties: {
        query: {type: "string", description: "The query to search for"},
        max_results: {type: "number", description: "The maximum number of results to return"},
      },
      required: ["query"],
    });
    expect(v.kind === "object" && v.keys.map((k) => [k.name, k.required, k.description])).toEqual([
      ["query", true, "The query to search for"],
      ["max_results", false, "The maximum number of results to return"],
    ]);
    accepts(v, {query: "x"});
    expect(() => validate(v, {max_results: 1.5})).toThrow("required key not provided");
  });

  it("prevents extra keys unless additionalProperties is true; a schema validates extras", () => {
    const props = {name: {type: "string"}};
    expect(haAccepts({type: "object", properties: props}, {name: "a", other: 1})).toMatchObject({ok: false});
    expect(haAccepts({type: "object", properties: props, additionalProperties: false}, {other: 1})).toMatchObject({
      ok: false,
    });
    expect(haAccepts({type: "object", properties: props, additionalProperties: true}, {other: 1})).toEqual({
      ok: true,
      value: {other: 1},
    });
    const typed = {type: "object", properties: {}, additionalProperties: {type: "integer"}};
    expect(haAccepts(typed, {a: 1})).toMatchObject({ok: true});
    expect(haAccepts(typed, {a: "x"})).toMatchObject({ok: false});
  });

  it("validates nested objects and array items with minItems/maxItems (test_with_min_max_items_*)", () => {
    const schema = {
      type: "object",
      properties: {
        tasks: {
          type: "array",
          minItems: 1,
          maxItems: 2,
          items: {
            type: "object",
            properties: {content: {type: "string"}, description: {type: "string"}},
            required: ["content"],
            additionalProperties: false,
          },
        },
      },
    };
    const task = {content: "a task ", description: "a description"};
    expect(haAccepts(schema, {tasks: [task]})).toMatchObject({ok: true});
    expect(haAccepts(schema, {tasks: []})).toMatchObject({ok: false});
    expect(haAccepts(schema, {tasks: [task, task, task]})).toMatchObject({ok: false});
    expect(haAccepts(schema, {tasks: [{description: "no content"}]})).toMatchObject({ok: false});
  });

  it("resolves local $ref lazily, including recursion (test_simple_ref_defs, test_recursive_tree_*)", () => {
    const defs = {$defs: {MyInt: {type: "integer"}}, type: "object", properties: {age: {$ref: "#/$defs/MyInt"}}};
    expect(haAccepts(defs, {age: 42})).toEqual({ok: true, value: {age: 42}});
    expect(haAccepts(defs, {age: "hello"})).toMatchObject({ok: false});
    const tree = {
      $defs: {
        Node: {
          type: "object",
          properties: {value: {type: "string"}, children: {type: "array", items: {$ref: "#/$defs/Node"}}},
          required: ["value"],
        },
      },
      $ref: "#/$defs/Node",
    };
    expect(haAccepts(tree, {value: "root", children: [{value: "c", children: [{value: "g"}]}]})).toMatchObject({
      ok: true,
    });
    expect(haAccepts(tree, {value: "root", children: [{value: 123}]})).toMatchObject({ok: false});
  });

  it("ignores $schema and keywords it does not know (what zod-to-json-schema emits converts)", () => {
    const v = convertToVoluptuous({
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      title: "ignored",
      properties: {n: {type: "integer", exclusiveMinimum: 0, default: 3}},
      required: ["n"],
      additionalProperties: false,
    });
    expect(v).toEqual({
      kind: "object",
      extra: "prevent",
      keys: [{name: "n", required: true, validator: {kind: "type", type: "int"}}],
    });
  });
});
