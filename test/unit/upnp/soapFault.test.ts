import {XMLValidator} from "fast-xml-parser";
import {describe, expect, it} from "vitest";
import {soapFault, UpnpError} from "../../../src/upnp/soap.js";

describe("a UPnP fault", () => {
  it("stays XML when its words echo characters XML cannot carry (a NUL, a lone surrogate)", () => {
    const fault = soapFault(new UpnpError(701, "There is no object '\u0000x\uD800'"));
    expect(XMLValidator.validate(fault)).toBe(true);
    expect(fault).toContain("<errorDescription>There is no object &apos;\uFFFDx\uFFFD&apos;</errorDescription>");
  });
});
