import { z } from "zod";
import { Id, parseJsonKeepingId, type PoolType, PoolTypeName } from "../protocol/mod.ts";

/**
 * Every body that travels on the bus, encoded and decoded here and nowhere
 * else, as client frames are by the protocol codec. Decoders never throw:
 * they answer what they could read, or why not, so every consumer counts
 * and logs a bad body the same way.
 *
 * | topic / queue              | body                                              |
 * | -------------------------- | ------------------------------------------------- |
 * | `guild.<id>.log.*`         | `{"events": [LogEvent, ...]}`                     |
 * | `guild.<id>.pool`          | `{type, action, id, entity?}`                     |
 * | `guild.<id>.access`        | `{"user_id": "…"}`, or `{}` for every member      |
 * | `gateway.demote`           | `{"user_id": "…"}` (a JSON number is read exactly) |
 * | `gateway.revocations` log  | `{"user_id", "revoked_at"}`, or `{"marker"}`      |
 * | `shard_rpc_N` request      | `{method, args, kwargs}`                          |
 * | `shard_rpc_N` reply        | `{sc, resp}`                                      |
 */
export type Decoded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

const ok = <T>(value: T): Decoded<T> => ({ ok: true, value });
const bad = <T>(reason: string): Decoded<T> => ({ ok: false, reason });

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A JSON object body with an optional `user_id`, read exactly even when the
 * REST API writes it as a JSON number: the object, and the id (null when
 * absent), or why not.
 */
function userRecord(
  body: string,
): Decoded<{ readonly record: Record<string, unknown>; readonly userId: string | null }> {
  let idText: string | undefined;
  let value: unknown;
  try {
    ({ value, idText } = parseJsonKeepingId(body, "user_id"));
  } catch {
    return bad("not JSON");
  }
  if (!isRecord(value)) return bad("not an object");
  if (value.user_id === undefined || value.user_id === null) {
    return ok({ record: value, userId: null });
  }
  const id = Id.safeParse(idText);
  return id.success ? ok({ record: value, userId: id.data }) : bad("user_id is not an id");
}

// ── log events ──────────────────────────────────────────────────────────────

/** One log event as it came off the bus, checked just enough to route it. */
export interface BusLogEvent {
  readonly id: string;
  /** Marked private by the event itself. */
  readonly private: boolean;
  /** The event object, passed on as it came (serialised once per batch). */
  readonly value: Record<string, unknown>;
}

/** A decoded log message: the events fit to route, and how many were not. */
export interface BusLogMessage {
  readonly events: readonly BusLogEvent[];
  readonly rejected: number;
}

/**
 * Decodes `{"events": [...]}` of `guild.<guildId>.log.*`. This is the hot
 * path of the log stream, so events are checked by hand (an id, and the
 * guild of the topic), not with a schema: the backend is trusted to send
 * well-formed events, but never to route them to another guild's topic.
 */
export function decodeLogMessage(body: string, guildId: string): Decoded<BusLogMessage> {
  const value = parse(body);
  if (!isRecord(value) || !Array.isArray(value.events)) return bad("no events array");
  const events: BusLogEvent[] = [];
  let rejected = 0;
  for (const e of value.events as unknown[]) {
    if (!isRecord(e) || typeof e.id !== "string" || e.guild_id !== guildId) {
      rejected++;
      continue;
    }
    events.push({ id: e.id, private: e.private === true, value: e });
  }
  return ok({ events, rejected });
}

/** The body of a log message. */
export function encodeLogMessage(events: readonly unknown[]): string {
  return JSON.stringify({ events });
}

// ── pool updates ────────────────────────────────────────────────────────────

export type PoolAction = "add" | "update" | "remove";

/** An entity change of `guild.<id>.pool`, relayed to spectators as `log_pool`. */
export interface PoolUpdate {
  readonly type: PoolType;
  readonly action: PoolAction;
  readonly id: string;
  /** The entity after the change (absent on `remove`). */
  readonly entity?: unknown;
}

const PoolUpdateBody = z.object({
  type: PoolTypeName,
  action: z.enum(["add", "update", "remove"]),
  id: z.string().min(1).max(64),
  entity: z.unknown().optional(),
});

export function decodePoolUpdate(body: string): Decoded<PoolUpdate> {
  const parsed = PoolUpdateBody.safeParse(parse(body));
  if (!parsed.success) return bad("not a pool update");
  const { type, action, id, entity } = parsed.data;
  return ok(
    action === "remove" || entity === undefined ? { type, action, id } : {
      type,
      action,
      id,
      entity,
    },
  );
}

export function encodePoolUpdate(update: PoolUpdate): string {
  return JSON.stringify(update);
}

// ── sign-out ────────────────────────────────────────────────────────────────

/** `gateway.demote`: demote every connection of a user, on every node. */
export interface DemoteMessage {
  readonly userId: string;
}

/**
 * Decodes `{"user_id": ...}`. The id may be a string or, as the REST API
 * writes Discord ids, a JSON number; a number is read from its source text
 * so it is never rounded.
 */
export function decodeDemote(body: string): Decoded<DemoteMessage> {
  const read = userRecord(body);
  if (!read.ok) return read;
  return read.value.userId === null ? bad("no user_id") : ok({ userId: read.value.userId });
}

export function encodeDemote(message: DemoteMessage): string {
  return JSON.stringify({ user_id: message.userId });
}

// ── sign-outs that revoke ───────────────────────────────────────────────────

/** The durable log of sign-outs every node reads. */
export const REVOCATION_LOG = "gateway.revocations";

/**
 * A record of the revocation log: a sign-out (tokens of `userId` issued at
 * or before `revokedAt`, ms since the epoch, no longer elevate), or a
 * node's marker, which tells it that it has read everything before it.
 */
export type RevocationRecord =
  | { readonly kind: "sign_out"; readonly userId: string; readonly revokedAt: number }
  | { readonly kind: "marker"; readonly marker: string };

export function decodeRevocation(body: string): Decoded<RevocationRecord> {
  const read = userRecord(body);
  if (!read.ok) return read;
  const { record, userId } = read.value;
  if (typeof record.marker === "string") return ok({ kind: "marker", marker: record.marker });
  if (userId === null) return bad("no user_id");
  const at = record.revoked_at;
  if (typeof at !== "number" || !Number.isFinite(at) || at <= 0) return bad("no revoked_at");
  return ok({ kind: "sign_out", userId, revokedAt: at });
}

export function encodeRevocation(record: RevocationRecord): string {
  return JSON.stringify(
    record.kind === "marker"
      ? { marker: record.marker }
      : { user_id: record.userId, revoked_at: record.revokedAt },
  );
}

// ── access changes ──────────────────────────────────────────────────────────

/**
 * `guild.<id>.access`: the backend changed who may see what in the guild
 * (a member left or was removed, roles or admin status changed). A message
 * naming a user re-checks that user's spectators; one naming nobody (a
 * role's permissions changed) re-checks every spectator of the guild.
 */
export interface AccessChange {
  readonly userId: string | null;
}

export function decodeAccessChange(body: string): Decoded<AccessChange> {
  const read = userRecord(body);
  return read.ok ? ok({ userId: read.value.userId }) : read;
}

export function encodeAccessChange(change: AccessChange): string {
  return JSON.stringify(change.userId === null ? {} : { user_id: change.userId });
}

// ── shard RPC ───────────────────────────────────────────────────────────────

/** The original shard RPC request: `{method, args, kwargs}`. */
export interface RpcRequest {
  readonly method: string;
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Record<string, unknown>>;
}

/** The original shard RPC reply: `{sc, resp}` (status code and response). */
export interface RpcReply {
  readonly sc: number;
  readonly resp: unknown;
}

export function encodeRpcRequest(request: RpcRequest): string {
  return JSON.stringify(request);
}

/** Why `decodeRpcRequest` refused a body that is not JSON at all (a 400, not a 404). */
export const RPC_NOT_JSON = "request is not JSON";

/** Missing `args` and `kwargs` read as empty, as the Python side treats them. */
export function decodeRpcRequest(body: string): Decoded<RpcRequest> {
  const value = parse(body);
  if (value === undefined) return bad(RPC_NOT_JSON);
  if (!isRecord(value) || typeof value.method !== "string") return bad("request has no method");
  return ok({
    method: value.method,
    args: Array.isArray(value.args) ? value.args : [],
    kwargs: isRecord(value.kwargs) ? value.kwargs : {},
  });
}

export function encodeRpcReply(reply: RpcReply): string {
  return JSON.stringify(reply);
}

export function decodeRpcReply(body: string): Decoded<RpcReply> {
  const value = parse(body);
  if (value === undefined) return bad("reply is not JSON");
  if (!isRecord(value) || typeof value.sc !== "number") return bad("reply has no status");
  return ok({ sc: value.sc, resp: value.resp });
}
