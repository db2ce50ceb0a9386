import { errors, jwtVerify } from "jose";
import type { Principal } from "./principal.ts";
import { parseId, parseJsonKeepingId } from "../protocol/mod.ts";
import { isTimeZone, zonedTimeToEpoch } from "./zoned_time.ts";

/** Why a token was refused. The reason never contains the token. */
export type TokenRefusal =
  | "malformed"
  | "too_long"
  | "bad_signature"
  | "unsupported_algorithm"
  | "expired"
  | "not_yet_valid"
  | "no_expiry"
  | "no_subject"
  | "claim_mismatch"
  | "revoked"
  /** A sign-in nonce that was never registered, was used already, or expired. */
  | "unknown_nonce";

export class TokenError extends Error {
  readonly reason: TokenRefusal;
  constructor(reason: TokenRefusal) {
    super(`token refused: ${reason}`);
    this.name = "TokenError";
    this.reason = reason;
  }
}

export interface TokenVerifierOptions {
  readonly secret: string;
  /** When set, `aud` must contain it. */
  readonly audience?: string | undefined;
  /** When set, `iss` must equal it. */
  readonly issuer?: string | undefined;
  /** How far in the future an issue time may lie (clocks drift); default 60 s. */
  readonly clockSkewSeconds?: number;
  /** Tokens longer than this are refused before any work. */
  readonly maxLength?: number;
  /**
   * The IANA zone the REST API's `issued_at` is written in when it carries
   * no zone (Python's `datetime.now()` is the server's local time); UTC by
   * default.
   */
  readonly issuedAtTimeZone?: string | undefined;
  /**
   * Accepts tokens past their expiry, every other check still made: a
   * sign-out presenting an expired token still signs its user out.
   */
  readonly acceptExpired?: boolean | undefined;
  /** Clock, for tests. */
  readonly now?: () => number;
}

const MAX_TOKEN_CHARS = 8192;

/**
 * Verifies HS256 JWTs signed with the secret shared with the REST API.
 * Pure: no I/O, used by the upgrade handshake (cookie) and by frames alike.
 *
 * Accepts the REST API's claims (`id`, `permissions`, `issued_at`,
 * `expires_in`, ...) and the registered ones (`sub`, `exp`, `nbf`, `iat`,
 * `aud`, `iss`). Expiry is `exp`, or `issued_at + expires_in`; a token with
 * neither is refused; a zone-less `issued_at` is read in
 * `issuedAtTimeZone`. The algorithm is pinned to HS256, so `none`, RS/ES
 * and any other `alg` are refused whatever the header says.
 */
export class TokenVerifier {
  readonly #key: Uint8Array;
  readonly #audience: string | undefined;
  readonly #issuer: string | undefined;
  readonly #maxLength: number;
  readonly #skewMs: number;
  readonly #now: () => number;
  readonly #zone: string;
  readonly #acceptExpired: boolean;

  constructor(options: TokenVerifierOptions) {
    if (options.secret.length === 0) throw new RangeError("JWT secret must not be empty");
    this.#zone = options.issuedAtTimeZone ?? "UTC";
    if (!isTimeZone(this.#zone)) throw new RangeError(`unknown time zone "${this.#zone}"`);
    this.#acceptExpired = options.acceptExpired ?? false;
    this.#key = new TextEncoder().encode(options.secret);
    this.#audience = options.audience;
    this.#issuer = options.issuer;
    this.#maxLength = options.maxLength ?? MAX_TOKEN_CHARS;
    this.#skewMs = (options.clockSkewSeconds ?? 60) * 1000;
    this.#now = options.now ?? Date.now;
  }

  /** Verifies `token`; resolves to its principal or rejects with a `TokenError`. */
  async verify(token: string): Promise<Principal> {
    if (token.length > this.#maxLength) throw new TokenError("too_long");
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)) {
      throw new TokenError("malformed");
    }
    const now = this.#now();
    try {
      await jwtVerify(token, this.#key, {
        algorithms: ["HS256"],
        currentDate: new Date(now),
        ...(this.#audience !== undefined ? { audience: this.#audience } : {}),
        ...(this.#issuer !== undefined ? { issuer: this.#issuer } : {}),
      });
    } catch (error) {
      const refusal = refusalOf(error);
      // jose checks `exp` after the signature and every other claim.
      if (refusal !== "expired" || !this.#acceptExpired) throw new TokenError(refusal);
    }
    // The signature holds; read the payload again keeping large ids exact.
    const payload = exactPayload(token.split(".")[1] ?? "");
    const userId = payload.id ?? payload.sub;
    if (userId === undefined || parseId(userId) === null) throw new TokenError("no_subject");
    if (payload.id !== undefined && payload.sub !== undefined && payload.id !== payload.sub) {
      throw new TokenError("claim_mismatch");
    }
    const issuedAt = issueTimeOf(payload.claims, this.#zone);
    if (issuedAt !== null && issuedAt > now + this.#skewMs) throw new TokenError("not_yet_valid");
    const expiresAt = expiryOf(payload.claims, this.#zone);
    if (expiresAt === null) throw new TokenError("no_expiry");
    if (expiresAt <= now && !this.#acceptExpired) throw new TokenError("expired");
    const permissions = typeof payload.claims.permissions === "number"
      ? payload.claims.permissions
      : 0;
    const accessToken = payload.claims.access_token;
    return {
      userId,
      permissions,
      expiresAt,
      issuedAt,
      ...(typeof accessToken === "string" && accessToken.length > 0
        ? { discordAccessToken: accessToken }
        : {}),
    };
  }
}

function refusalOf(error: unknown): TokenRefusal {
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === "nbf" ? "not_yet_valid" : "claim_mismatch";
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return "bad_signature";
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return "unsupported_algorithm";
  }
  return "malformed";
}

interface ExactPayload {
  readonly claims: Record<string, unknown>;
  readonly id: string | undefined;
  readonly sub: string | undefined;
}

/**
 * Parses the payload segment keeping the source text of the top-level `id`
 * (a JSON number beyond 2^53 in REST API tokens) with JSON.parse source
 * access, so the user id is never rounded.
 */
function exactPayload(segment: string): ExactPayload {
  const text = new TextDecoder().decode(base64UrlDecode(segment));
  const { value, idText } = parseJsonKeepingId(text, "id");
  const claims = value as Record<string, unknown>;
  const sub = typeof claims.sub === "string" ? claims.sub : undefined;
  return { claims, id: idText, sub };
}

function base64UrlDecode(segment: string): Uint8Array {
  const b64 = segment.replace(/-/g, "+").replace(/_/g, "/");
  const padded = b64 + "=".repeat((4 - b64.length % 4) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

/**
 * The REST API's `issued_at` in ms: an ISO time, read in `zone` when it has
 * no zone of its own; null when absent or unreadable.
 */
function restIssuedAt(claims: Record<string, unknown>, zone: string): number | null {
  const issuedAt = claims.issued_at;
  if (typeof issuedAt !== "string") return null;
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/.test(issuedAt);
  const issued = hasZone || zone === "UTC"
    ? Date.parse(hasZone ? issuedAt : `${issuedAt}Z`)
    : zonedTimeToEpoch(issuedAt, zone);
  return issued !== null && Number.isFinite(issued) ? issued : null;
}

/** When the token was issued, in ms: `iat`, else the REST API's `issued_at`. */
function issueTimeOf(claims: Record<string, unknown>, zone: string): number | null {
  if (typeof claims.iat === "number" && Number.isFinite(claims.iat)) return claims.iat * 1000;
  return restIssuedAt(claims, zone);
}

/** `exp` in seconds, else `issued_at` plus `expires_in`. */
function expiryOf(claims: Record<string, unknown>, zone: string): number | null {
  if (typeof claims.exp === "number" && Number.isFinite(claims.exp)) return claims.exp * 1000;
  const issued = restIssuedAt(claims, zone);
  const expiresIn = claims.expires_in;
  if (issued !== null && typeof expiresIn === "number" && expiresIn > 0) {
    return issued + expiresIn * 1000;
  }
  return null;
}
