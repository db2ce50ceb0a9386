import assert from "node:assert/strict";
import { WsClient } from "./_helpers/ws_client.ts";
import { dataset, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import type { LogEvent } from "../gateway/protocol/mod.ts";
import { sleep } from "../testing/wait_for.ts";

const users = dataset().demoUsers;
const GUILDS = Object.values(DEMO_GUILD_IDS);

type Frame = Record<string, unknown>;

/** A tiny seeded PRNG, so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Replays what one client received, in order, and checks each push against
 * what its last spectate answer allowed: the guild it spectates, and only
 * the categories granted. A refused spectate keeps the one before it; after
 * a demotion or a spectate the server ended, nothing may arrive at all.
 */
function check(name: string, frames: readonly Frame[]): number {
  let guild: string | null = null;
  let categories = new Set<string>();
  let settings = false;
  let pushes = 0;
  for (const f of frames) {
    if (f._event === "spectate_return") {
      guild = f.guild_id as string | null;
      categories = new Set(f.categories as string[]);
      settings = ((f.permissions as number) & 0x100) !== 0;
    } else if (f._event === "access_changed") {
      categories = new Set(f.categories as string[]);
      settings = ((f.permissions as number) & 0x100) !== 0;
    } else if (f._event === "demoted" || f._event === "spectate_ended") {
      guild = null;
      categories = new Set();
    } else if (f._event === "log_other") {
      pushes++;
      assert.equal(f.guild_id, guild, `${name}: log of a guild it does not spectate`);
      assert.ok(categories.has("log.public"), `${name}: logs without the public category`);
      for (const e of f.events as LogEvent[]) {
        assert.equal(e.guild_id, guild, `${name}: event of another guild inside a batch`);
        if (e.private) assert.ok(categories.has("log.private"), `${name}: a private event leaked`);
      }
    } else if (f._event === "log_pool") {
      pushes++;
      assert.equal(f.guild_id, guild, `${name}: pool update of a guild it does not spectate`);
      if (f.type === "setting_value") {
        assert.ok(settings, `${name}: settings update without VIEW_SETTINGS`);
      }
    }
  }
  return pushes;
}

Deno.test("randomised: no client ever receives what its spectate, tier or token does not allow", async () => {
  const seed = Number(Deno.env.get("AUTH_RANDOM_SEED") ?? Date.now() % 100_000);
  const random = prng(seed);
  await withNode(
    { RATE_LIMIT_BURST: "100000", RATE_LIMIT_PER_SECOND: "100000" },
    async (node, clients) => {
      const who = [
        ["staff", users.staff.id, 3600],
        ["architusAdmin", users.architusAdmin.id, 3600],
        ["discordAdmin", users.discordAdmin.id, 3600],
        ["member", users.member.id, 3600],
        ["nonMember", users.nonMember.id, 3600],
        ["expiring", users.architusAdmin.id, 2],
      ] as const;
      const conns: Array<{ name: string; c: WsClient }> = [];
      for (const [name, id, ttl] of who) {
        const c = await WsClient.connect(wsUrl(node), {
          cookie: `dev-token=${await tokenFor(id, { ttlSeconds: ttl })}`,
        });
        clients.push(c);
        conns.push({ name, c });
      }
      const anon = await WsClient.connect(wsUrl(node));
      clients.push(anon);
      conns.push({ name: "anonymous", c: anon });
      let seq = 1;
      const until = Date.now() + 3500;
      let published = 0;
      while (Date.now() < until) {
        const r = random();
        if (r < 0.15) {
          const conn = conns[Math.floor(random() * conns.length)]!;
          const guild = random() < 0.1 ? null : GUILDS[Math.floor(random() * GUILDS.length)]!;
          conn.c.send({
            _event: "spectate",
            _seq: seq++,
            guild_id: guild,
            include_logs: random() < 0.8,
          });
        } else if (r < 0.8) {
          const guild = GUILDS[Math.floor(random() * GUILDS.length)]!;
          published +=
            (await node.logTraffic!.publish(1 + Math.floor(random() * 40), guild)).length;
        } else {
          const guild = GUILDS[Math.floor(random() * GUILDS.length)]!;
          const setting = random() < 0.5;
          await node.bus.publish(
            `guild.${guild}.pool`,
            JSON.stringify(
              setting
                ? {
                  type: "setting_value",
                  action: "update",
                  entity: { id: "prefix", guild_id: guild, value: "!" },
                  id: "prefix",
                }
                : { type: "channel", action: "remove", id: "1" },
            ),
          );
        }
        if (random() < 0.3) await sleep(2);
      }
      await sleep(200);
      let pushes = 0;
      for (const { name, c } of conns) pushes += check(`${name} (seed ${seed})`, c.frames);
      assert.ok(published > 1000, `a long stream (${published} events)`);
      assert.ok(pushes > 100, `clients received pushes (${pushes})`);
      const expiring = conns.find((x) => x.name === "expiring")!.c;
      assert.equal(
        expiring.received((f) => f._event === "demoted").length,
        1,
        "the short token expired mid-run",
      );
    },
  );
});
