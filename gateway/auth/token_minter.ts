import { parseId } from "../protocol/mod.ts";
import { CompactSign } from "jose";

export interface MintOptions {
  readonly secret: string;
  readonly userId: string;
  /** Lifetime in seconds (default one hour). */
  readonly ttlSeconds?: number;
  /** Architus permissions claim (the REST API always sets 274). */
  readonly permissions?: number;
  /** "rest": the REST API's claims (`id` as a JSON number, `issued_at`, `expires_in`); "standard": `sub`/`iat`/`exp`. */
  readonly style?: "rest" | "standard";
  /** Extra claims, merged last (tests use this for `aud`, `iss`, `nbf`). */
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly now?: number;
}

/**
 * Mints an HS256 token as the Architus REST API does, for development
 * sign-in, `deno task token` and tests. The `id` claim is written as an
 * exact JSON number even beyond 2^53, like the REST API writes it.
 */
export async function mintToken(options: MintOptions): Promise<string> {
  if (parseId(options.userId) === null) throw new RangeError("userId must be a decimal id");
  const now = options.now ?? Date.now();
  const ttl = options.ttlSeconds ?? 3600;
  const parts: string[] = [];
  if ((options.style ?? "rest") === "rest") {
    parts.push(
      `"access_token":"demo-access-${options.userId}"`,
      `"refresh_token":"demo-refresh-${options.userId}"`,
      `"expires_in":${ttl}`,
      `"issued_at":${JSON.stringify(new Date(now).toISOString().replace("Z", ""))}`,
      `"id":${options.userId}`,
      `"permissions":${options.permissions ?? 274}`,
    );
  } else {
    const iat = Math.floor(now / 1000);
    parts.push(
      `"sub":"${options.userId}"`,
      `"iat":${iat}`,
      `"exp":${iat + ttl}`,
      `"permissions":${options.permissions ?? 274}`,
    );
  }
  for (const [key, value] of Object.entries(options.extra ?? {})) {
    parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }
  const payload = new TextEncoder().encode(`{${parts.join(",")}}`);
  return await new CompactSign(payload)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(options.secret));
}
