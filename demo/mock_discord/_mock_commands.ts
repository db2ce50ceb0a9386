import { clip, PREFIX } from "./_mock_text.ts";

/** The commands the demo knows, in the order `!help` lists them. */
const COMMAND_NAMES = ["help", "set", "remove", "poll", "xpoll", "schedule"] as const;
export type CommandName = typeof COMMAND_NAMES[number];

interface CommandDoc {
  readonly usage: string;
  readonly summary: string;
  readonly example: string;
}

const DOCS: Readonly<Record<CommandName, CommandDoc>> = {
  help: {
    usage: "help [command]",
    summary: "list the commands, or show how to use one",
    example: "help set",
  },
  set: {
    usage: "set <trigger>::<response>",
    summary: "respond to <trigger> with <response>; write [a,b,c] to pick one at random",
    example: "set hi::hey there!",
  },
  remove: {
    usage: "remove <trigger>",
    summary: "stop responding to <trigger>",
    example: "remove hi",
  },
  poll: {
    usage: "poll <question>, <option>, <option>, ...",
    summary: "start a poll with up to 10 options",
    example: 'poll "Best pet?" cats, dogs, lizards',
  },
  xpoll: {
    usage: "xpoll <question>, <option>, <option>, ...",
    summary: "start a poll where everyone gets one vote",
    example: 'xpoll "a hot dog is a:" sandwich, not a sandwich',
  },
  schedule: {
    usage: "schedule <title> <time>",
    summary: "schedule an event people can RSVP to",
    example: "schedule Movie night 8pm Friday",
  },
};

function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

/** The commands `allowedCommands` enables, in listing order; `help` always is. */
export function enabledCommands(allowed: readonly string[]): Set<CommandName> {
  const wanted = new Set(allowed.map((name) => name.trim().toLowerCase()));
  return new Set(COMMAND_NAMES.filter((name) => name === "help" || wanted.has(name)));
}

/** The enabled command a message invokes, with its argument, or null for an ordinary message. */
export function parseCommand(
  content: string,
  enabled: ReadonlySet<CommandName>,
): { readonly name: CommandName; readonly argument: string } | null {
  const match = /^\s*!(\S+)(?:\s+([\s\S]*))?$/.exec(content);
  if (match === null) return null;
  const name = (match[1] ?? "").toLowerCase();
  // A disabled or unknown command is just a message, as on the original shard.
  if (!isCommandName(name) || !enabled.has(name)) return null;
  return { name, argument: match[2] ?? "" };
}

function usageLine(name: CommandName): string {
  const doc = DOCS[name];
  return `\`${PREFIX}${doc.usage}\` — ${doc.summary}`;
}

/** The usage of one command, with an example; what a malformed invocation answers too. */
export function commandUsage(name: CommandName): string {
  return `${usageLine(name)}\nExample: \`${PREFIX}${DOCS[name].example}\``;
}

/** `!help` and `!help <command>`. */
export function helpText(argument: string, enabled: ReadonlySet<CommandName>): string {
  const asked = argument.trim().replace(/^!/, "").split(/\s+/)[0]?.toLowerCase() ?? "";
  if (asked === "") {
    const lines = COMMAND_NAMES.filter((name) => enabled.has(name)).map(usageLine);
    return ["**Commands:**", ...lines].join("\n");
  }
  if (isCommandName(asked) && enabled.has(asked)) return commandUsage(asked);
  return `There is no command called "${
    clip(asked, 32)
  }" here. Type \`${PREFIX}help\` to see the commands.`;
}
