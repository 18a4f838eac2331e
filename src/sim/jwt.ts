import {createHmac, randomBytes, timingSafeEqual} from "node:crypto";

/** The claims the simulator puts in access tokens, shaped like Yoto's Auth0 JWTs. */
export interface AccessClaims {
  sub: string;
  aud: string;
  /** Absent when a test makes the token keep quiet about its scopes. */
  scope?: string;
  azp: string;
  iat: number;
  exp: number;
  jti: string;
}

const b64 = (value: object | Buffer) =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString("base64url");

/** HS256 JWTs with a per-simulator key: clients decode `exp` as they would from the real thing. */
export class JwtIssuer {
  readonly #key = randomBytes(32);

  sign(claims: Omit<AccessClaims, "jti">): string {
    const head = `${b64({alg: "HS256", typ: "JWT"})}.${b64({...claims, jti: randomBytes(8).toString("hex")})}`;
    return `${head}.${this.#mac(head)}`;
  }

  /** The claims of a token this issuer signed, or undefined for anything else (expiry is the caller's call). */
  verify(token: string): AccessClaims | undefined {
    const parts = token.split(".");
    if (parts.length !== 3) return undefined;
    const [head, body, mac] = parts as [string, string, string];
    const expected = Buffer.from(this.#mac(`${head}.${body}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      return JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as AccessClaims;
    } catch {
      return undefined;
    }
  }

  #mac(data: string): string {
    return createHmac("sha256", this.#key).update(data).digest("base64url");
  }
}
