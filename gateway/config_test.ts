import assert from "node:assert/strict";
import { ConfigError, DEV_JWT_SECRET, loadConfig } from "./config.ts";

const DEV = { GATEWAY_ENV: "development" } as const;

Deno.test("loadConfig() gives development defaults with the dev secret flagged", () => {
  const c = loadConfig(DEV);
  assert.equal(c.production, false);
  assert.equal(c.host, "127.0.0.1");
  assert.equal(c.port, 8000);
  assert.equal(c.jwtSecret, DEV_JWT_SECRET);
  assert.equal(c.usingDevSecret, true);
  assert.equal(c.maxFrameBytes, 65536);
  assert.deepEqual(c.rateLimit, { burst: 120, perSecond: 2 });
  assert.ok(c.staffIds.has("214037134477230080"));
});

Deno.test("loadConfig() refuses production without a secret and origins", () => {
  assert.throws(() => loadConfig({ GATEWAY_ENV: "production" }), /JWT_SECRET[^]*ALLOWED_ORIGINS/);
  assert.throws(
    () => loadConfig({ GATEWAY_ENV: "production", JWT_SECRET: "x".repeat(40) }),
    /ALLOWED_ORIGINS/,
  );
  assert.throws(
    () =>
      loadConfig({
        GATEWAY_ENV: "production",
        JWT_SECRET: "short",
        ALLOWED_ORIGINS: "https://a.b",
      }),
    /at least 32/,
  );
  const c = loadConfig({
    GATEWAY_ENV: "production",
    JWT_SECRET: "x".repeat(40),
    ALLOWED_ORIGINS: "https://archit.us, https://api.archit.us",
  });
  assert.deepEqual(c.allowedOrigins, ["https://archit.us", "https://api.archit.us"]);
  assert.equal(c.staffIds.size, 0, "no default staff in production");
});

Deno.test("loadConfig() lists every invalid variable", () => {
  try {
    loadConfig({ ...DEV, PORT: "seventy", NUM_SHARDS: "0", ALLOWED_ORIGINS: "" });
    assert.fail("should throw");
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /PORT/);
    assert.match(error.message, /NUM_SHARDS/);
  }
  assert.throws(() => loadConfig({ ...DEV, ALLOWED_ORIGINS: "archit.us" }), /not an origin/);
  assert.throws(() => loadConfig({ ...DEV, ARCHITUS_ADMIN_IDS: "1,abc" }), /not an id/);
  assert.throws(() => loadConfig({ ...DEV, ARCHITUS_ADMIN_IDS: "0214" }), /not an id/);
});

Deno.test("loadConfig() fails closed: GATEWAY_ENV unset, empty or unknown refuses to start", () => {
  for (
    const env of [{}, { GATEWAY_ENV: "" }, { GATEWAY_ENV: "prod" }, { GATEWAY_ENV: "Production" }]
  ) {
    assert.throws(() => loadConfig(env), /GATEWAY_ENV: must be set to production or development/);
  }
});

Deno.test("loadConfig() refuses the published development secret in production", () => {
  assert.throws(
    () =>
      loadConfig({
        GATEWAY_ENV: "production",
        JWT_SECRET: DEV_JWT_SECRET,
        ALLOWED_ORIGINS: "https://archit.us",
      }),
    /development secret is refused/,
  );
});

Deno.test("loadConfig() lists every problem at once, schema and cross-checks together", () => {
  try {
    loadConfig({ GATEWAY_ENV: "production", PORT: "x", JWT_SECRET: "short" });
    assert.fail("should throw");
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /PORT/);
    assert.match(error.message, /at least 32/);
    assert.match(error.message, /ALLOWED_ORIGINS: required/);
  }
  try {
    loadConfig({ GATEWAY_ENV: "production", JWT_SECRET: "short", ALLOWED_ORIGINS: "nope" });
    assert.fail("should throw");
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /at least 32/);
    assert.match(error.message, /not an origin/);
  }
});

Deno.test("loadConfig() reads the drop-in settings and lists their problems together", () => {
  const c = loadConfig(DEV);
  assert.deepEqual(c.dropIn, {
    backendProtocol: "native",
    discordApiBase: "https://discord.com/api/v10",
    issuedAtTimeZone: "UTC",
    nonceTtlMs: 60_000,
  });
  const set = loadConfig({
    ...DEV,
    AMQP_URL: "amqp://guest:guest@127.0.0.1:5672",
    BACKEND_PROTOCOL: "architus",
    DISCORD_API_BASE: "http://127.0.0.1:9999/api/",
    JWT_ISSUED_AT_TZ: "America/New_York",
    NONCE_TTL_SECONDS: "5",
  });
  assert.equal(set.dropIn.discordApiBase, "http://127.0.0.1:9999/api");
  assert.equal(set.dropIn.issuedAtTimeZone, "America/New_York");
  assert.equal(set.dropIn.nonceTtlMs, 5000);
  assert.throws(
    () =>
      loadConfig({
        ...DEV,
        BACKEND_PROTOCOL: "architus",
        JWT_ISSUED_AT_TZ: "CET+1",
        NONCE_TTL_SECONDS: "0",
      }),
    /JWT_ISSUED_AT_TZ: unknown time zone[^]*NONCE_TTL_SECONDS[^]*BACKEND_PROTOCOL: architus needs AMQP_URL/,
  );
});
