import { mintToken } from "../gateway/auth/mod.ts";
import { createDemoDataset } from "../demo/mod.ts";
import { DEV_JWT_SECRET } from "../gateway/config.ts";

/**
 * `deno task token [who] [ttl-seconds]`: prints a token in the REST API's
 * claim shape. `who` is a demo tier (staff, architusAdmin, discordAdmin,
 * member, nonMember) or a user id; the secret is JWT_SECRET or, outside
 * production, the development one. With GATEWAY_ENV=production it refuses
 * to sign with the development secret.
 */
const who = Deno.args[0] ?? "architusAdmin";
const ttl = Number(Deno.args[1] ?? 3600);
const demo = createDemoDataset({ bigGuildMembers: 3 }).demoUsers as unknown as Record<
  string,
  { id: string } | undefined
>;
const userId = demo[who]?.id ?? who;
if (!/^[0-9]{1,20}$/.test(userId)) {
  Deno.stderr.writeSync(
    new TextEncoder().encode(
      `unknown user "${who}": use ${Object.keys(demo).join(", ")} or an id\n`,
    ),
  );
  Deno.exit(2);
}
const secret = Deno.env.get("JWT_SECRET") || DEV_JWT_SECRET;
if (secret === DEV_JWT_SECRET && Deno.env.get("GATEWAY_ENV") === "production") {
  Deno.stderr.writeSync(
    new TextEncoder().encode(
      "refusing to sign with the development secret in production: set JWT_SECRET\n",
    ),
  );
  Deno.exit(2);
}
const token = await mintToken({
  secret,
  userId,
  ttlSeconds: ttl,
});
Deno.stdout.writeSync(new TextEncoder().encode(token + "\n"));
