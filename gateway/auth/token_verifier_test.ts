import assert from "node:assert/strict";
import { mintToken } from "./token_minter.ts";
import { TokenError, TokenVerifier } from "./token_verifier.ts";
import { b64url, forgeJwt } from "../../testing/forge_jwt.ts";

const SECRET = "unit-test-secret";
const NOW = Date.UTC(2026, 0, 1, 12);

function sign(header: object, payload: string, secret = SECRET): Promise<string> {
  return forgeJwt(header, payload, secret);
}

async function refusal(verifier: TokenVerifier, token: string): Promise<string> {
  try {
    await verifier.verify(token);
  } catch (error) {
    assert.ok(error instanceof TokenError);
    assert.ok(!error.message.includes(token.slice(0, 16)), "the token never appears in errors");
    return error.reason;
  }
  throw new Error("token was accepted");
}

Deno.test("TokenVerifier accepts REST API tokens and keeps the id exact", async () => {
  const v = new TokenVerifier({ secret: SECRET, now: () => NOW });
  const token = await mintToken({ secret: SECRET, userId: "700794554307317769", now: NOW - 1000 });
  const p = await v.verify(token);
  assert.equal(p.userId, "700794554307317769");
  assert.equal(p.permissions, 274);
  assert.equal(p.expiresAt, NOW - 1000 + 3600_000);
});

Deno.test("TokenVerifier reads expiry from exp, else issued_at + expires_in (UTC without zone)", async () => {
  const v = new TokenVerifier({ secret: SECRET, now: () => NOW });
  const std = await mintToken({
    secret: SECRET,
    userId: "42",
    style: "standard",
    now: NOW,
    ttlSeconds: 60,
  });
  assert.equal((await v.verify(std)).expiresAt, Math.floor(NOW / 1000) * 1000 + 60_000);
  const zoned = await sign(
    { alg: "HS256" },
    `{"id":7,"issued_at":"2026-01-01T13:00:00+02:00","expires_in":7200}`,
  );
  assert.equal((await v.verify(zoned)).expiresAt, Date.UTC(2026, 0, 1, 13));
});

Deno.test("TokenVerifier refuses every attack and names the reason", async () => {
  const v = new TokenVerifier({ secret: SECRET, now: () => NOW });
  const exp = Math.floor(NOW / 1000) + 600;
  const good = await mintToken({ secret: SECRET, userId: "42", now: NOW });
  const [h, p, s] = good.split(".") as [string, string, string];
  const cases: Array<[string, string, string]> = [
    ["alg none", `${b64url('{"alg":"none"}')}.${p}.`, "unsupported_algorithm"],
    ["alg none with a signature", `${b64url('{"alg":"none"}')}.${p}.${s}`, "unsupported_algorithm"],
    ["wrong secret", await mintToken({ secret: "other", userId: "42", now: NOW }), "bad_signature"],
    ["edited claims", `${h}.${b64url(`{"id":1,"exp":${exp}}`)}.${s}`, "bad_signature"],
    [
      "RS256 header signed with the secret",
      await sign({ alg: "RS256" }, `{"id":1,"exp":${exp}}`),
      "unsupported_algorithm",
    ],
    ["HS512", await sign({ alg: "HS512" }, `{"id":1,"exp":${exp}}`), "unsupported_algorithm"],
    ["expired exp", await sign({ alg: "HS256" }, `{"id":1,"exp":${exp - 1200}}`), "expired"],
    [
      "expired issued_at",
      await mintToken({ secret: SECRET, userId: "1", now: NOW - 7200_000 }),
      "expired",
    ],
    ["no expiry", await sign({ alg: "HS256" }, `{"id":1}`), "no_expiry"],
    [
      "not yet valid",
      await sign({ alg: "HS256" }, `{"id":1,"exp":${exp},"nbf":${exp - 100}}`),
      "not_yet_valid",
    ],
    ["no subject", await sign({ alg: "HS256" }, `{"exp":${exp}}`), "no_subject"],
    [
      "id and sub disagree",
      await sign({ alg: "HS256" }, `{"id":1,"sub":"2","exp":${exp}}`),
      "claim_mismatch",
    ],
    ["non-numeric id", await sign({ alg: "HS256" }, `{"id":"abc","exp":${exp}}`), "no_subject"],
    ["padded id", await sign({ alg: "HS256" }, `{"id":"0042","exp":${exp}}`), "no_subject"],
    [
      "id beyond 64 bits",
      await sign({ alg: "HS256" }, `{"id":18446744073709551616,"exp":${exp}}`),
      "no_subject",
    ],
    [
      "issued_at in the future beyond the clock skew",
      await mintToken({ secret: SECRET, userId: "1", now: NOW + 10 * 60_000 }),
      "not_yet_valid",
    ],
    [
      "iat in the future beyond the clock skew",
      await sign({ alg: "HS256" }, `{"id":1,"exp":${exp + 3600},"iat":${exp}}`),
      "not_yet_valid",
    ],
    ["oversize", `${h}.${"a".repeat(9000)}.${s}`, "too_long"],
    ["not a JWT", "hello", "malformed"],
    ["bad base64", "a.b!c.d", "malformed"],
  ];
  for (const [name, token, reason] of cases) {
    assert.equal(await refusal(v, token), reason, name);
  }
});

Deno.test("TokenVerifier allows an issue time slightly ahead, within the clock skew", async () => {
  const v = new TokenVerifier({ secret: SECRET, now: () => NOW, clockSkewSeconds: 60 });
  const ahead = await mintToken({ secret: SECRET, userId: "1", now: NOW + 30_000 });
  assert.equal((await v.verify(ahead)).userId, "1");
  const max = await sign({ alg: "HS256" }, `{"id":18446744073709551615,"exp":${NOW / 1000 + 60}}`);
  assert.equal((await v.verify(max)).userId, "18446744073709551615", "2^64 − 1 is an id");
});

Deno.test("TokenVerifier checks aud and iss only when configured", async () => {
  const exp = Math.floor(NOW / 1000) + 600;
  const token = await sign({ alg: "HS256" }, `{"id":1,"exp":${exp},"aud":"gateway","iss":"api"}`);
  const open = new TokenVerifier({ secret: SECRET, now: () => NOW });
  assert.equal((await open.verify(token)).userId, "1");
  const strict = new TokenVerifier({
    secret: SECRET,
    audience: "gateway",
    issuer: "api",
    now: () => NOW,
  });
  assert.equal((await strict.verify(token)).userId, "1");
  const wrongAud = new TokenVerifier({ secret: SECRET, audience: "other", now: () => NOW });
  assert.equal(await refusal(wrongAud, token), "claim_mismatch");
  const wrongIss = new TokenVerifier({ secret: SECRET, issuer: "other", now: () => NOW });
  assert.equal(await refusal(wrongIss, token), "claim_mismatch");
  const missing = await sign({ alg: "HS256" }, `{"id":1,"exp":${exp}}`);
  assert.equal(await refusal(strict, missing), "claim_mismatch");
});

Deno.test("TokenVerifier reads a zone-less issued_at in the configured zone", async () => {
  // 13:00 in Berlin in January is 12:00 UTC: read as UTC it would look an hour newer.
  const token = await sign(
    { alg: "HS256" },
    `{"id":7,"issued_at":"2026-01-01T13:00:00.250000","expires_in":3600}`,
  );
  const berlin = new TokenVerifier({
    secret: SECRET,
    issuedAtTimeZone: "Europe/Berlin",
    now: () => NOW,
  });
  const p = await berlin.verify(token);
  assert.equal(p.issuedAt, Date.UTC(2026, 0, 1, 12, 0, 0, 250));
  assert.equal(p.expiresAt, Date.UTC(2026, 0, 1, 13, 0, 0, 250));
  // Read as UTC, a token from east of UTC looks issued in the future, one from west of it
  // expired hours early.
  const utc = new TokenVerifier({ secret: SECRET, now: () => NOW });
  assert.equal(await refusal(utc, token), "not_yet_valid");
  const west = await sign(
    { alg: "HS256" },
    `{"id":7,"issued_at":"2026-01-01T07:00:00.000000","expires_in":3600}`,
  );
  assert.equal(await refusal(utc, west), "expired");
  const newYork = new TokenVerifier({
    secret: SECRET,
    issuedAtTimeZone: "America/New_York",
    now: () => NOW,
  });
  assert.equal((await newYork.verify(west)).expiresAt, Date.UTC(2026, 0, 1, 13));
  // A zone written in the claim wins over the configured one.
  const zoned = await sign(
    { alg: "HS256" },
    `{"id":7,"issued_at":"2026-01-01T12:00:00+00:00","expires_in":3600}`,
  );
  assert.equal((await berlin.verify(zoned)).expiresAt, Date.UTC(2026, 0, 1, 13));
  assert.throws(() => new TokenVerifier({ secret: SECRET, issuedAtTimeZone: "Nowhere/Zone" }));
});

Deno.test("TokenVerifier accepts an expired token only when told to, and checks the rest", async () => {
  const expired = await mintToken({ secret: SECRET, userId: "42", now: NOW - 7200_000 });
  const lenient = new TokenVerifier({ secret: SECRET, acceptExpired: true, now: () => NOW });
  assert.equal((await lenient.verify(expired)).userId, "42");
  const exp = Math.floor(NOW / 1000) - 600;
  assert.equal(
    (await lenient.verify(await sign({ alg: "HS256" }, `{"id":1,"exp":${exp}}`))).userId,
    "1",
  );
  const forged = await mintToken({ secret: "other", userId: "42", now: NOW - 7200_000 });
  assert.equal(await refusal(lenient, forged), "bad_signature");
  const strict = new TokenVerifier({ secret: SECRET, now: () => NOW });
  assert.equal(await refusal(strict, expired), "expired");
});

Deno.test("TokenVerifier carries the Discord access token of REST API tokens, and only theirs", async () => {
  const v = new TokenVerifier({ secret: SECRET, now: () => NOW });
  const rest = await mintToken({ secret: SECRET, userId: "42", now: NOW });
  assert.equal((await v.verify(rest)).discordAccessToken, "demo-access-42");
  const std = await mintToken({ secret: SECRET, userId: "42", style: "standard", now: NOW });
  assert.equal((await v.verify(std)).discordAccessToken, undefined);
});
