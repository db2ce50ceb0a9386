import { MockAction } from "../protocol/mod.ts";
import type { MockUserAction } from "../backend/backend.ts";
import type { Handler } from "./handler.ts";
import type { RequestContext } from "../connection/request_context.ts";
import type { Services } from "./services.ts";

async function answer(
  ctx: RequestContext,
  services: Services,
  action: MockUserAction & { readonly guildId: number },
): Promise<void> {
  const reply = await services.backend.mockUserAction(action, ctx.signal);
  ctx.finish({
    _event: "mock_bot_event",
    ...(ctx.seq !== undefined ? { seq: ctx.seq } : {}),
    guildId: action.guildId,
    actions: [...reply.actions],
  });
}

/**
 * `mock_user_event` and its current alias `ping`: the front page's mock
 * Discord channel, open to unauthenticated connections. Backend errors
 * become `error` frames, never a `mock_bot_event`.
 */
export const mockUserEvent: Handler<"mock_user_event" | "ping"> = (ctx, services) => {
  const f = ctx.frame;
  return answer(ctx, services, {
    action: f.action,
    guildId: f.guildId,
    messageId: f.messageId,
    content: f.content,
    allowedCommands: f.allowedCommands,
    emoji: f.emoji,
    silent: f.silent,
  });
};

/**
 * The design doc's `interpret {guild_id, message_id, content?,
 * added_reactions?, removed_reactions?, allowed_commands?, silent?}`:
 * a message (when it has content) then each reaction change, answered with
 * every resulting bot action in one `mock_bot_event`. A string `guild_id`
 * is a real guild's bot channel (development's demo backend): the sender
 * must be signed in and a member, and goes to the backend with their id.
 */
export const interpret: Handler<"interpret"> = async (ctx, services) => {
  const f = ctx.frame;
  let userId: string | undefined;
  if (typeof f.guild_id === "string") {
    // A real guild: the dashboard's bot channel. Only its members may speak in it; what
    // they may change is the backend's decision, as a bot's would be.
    const principal = ctx.requirePrincipal();
    await services.access.member(ctx.connection, principal, f.guild_id, ctx.signal);
    userId = principal.userId;
  }
  const base = { guildId: f.guild_id, messageId: f.message_id, userId };
  const steps: MockUserAction[] = [];
  if (f.content !== undefined) {
    steps.push({
      ...base,
      action: MockAction.messageSend,
      content: f.content,
      allowedCommands: f.allowed_commands,
      silent: f.silent,
    });
  }
  for (const emoji of f.added_reactions ?? []) {
    steps.push({ ...base, action: MockAction.reactionAdd, emoji });
  }
  for (const emoji of f.removed_reactions ?? []) {
    steps.push({ ...base, action: MockAction.reactionRemove, emoji });
  }
  const actions = [];
  for (const step of steps) {
    const reply = await services.backend.mockUserAction(step, ctx.signal);
    actions.push(...reply.actions);
  }
  ctx.finish({
    _event: "mock_bot_event",
    ...(ctx.seq !== undefined ? { seq: ctx.seq } : {}),
    guildId: f.guild_id,
    actions,
  });
};
