/**
 * The gateway's diagnostic logger (not to be confused with the log
 * streaming feature): one JSON line per record on stderr, with a level, a
 * message and fields such as the connection id. Callers never pass tokens
 * or secrets; `redact` masks any field whose name suggests one anyway.
 */
export type Level = "debug" | "info" | "warn" | "error";

const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_FIELD = /token|secret|password|authorization|cookie/i;

export type Fields = Record<string, unknown>;

export class Diagnostics {
  readonly #level: Level;
  readonly #min: number;
  readonly #fields: Fields;
  readonly #sink: (line: string) => void;

  constructor(
    options: { level?: Level; fields?: Fields; sink?: (line: string) => void } = {},
  ) {
    this.#level = options.level ?? "info";
    this.#min = RANK[this.#level];
    this.#fields = options.fields ?? {};
    this.#sink = options.sink ?? defaultSink;
  }

  /** A logger that adds `fields` to every record. */
  with(fields: Fields): Diagnostics {
    return new Diagnostics({
      level: this.#level,
      sink: this.#sink,
      fields: { ...this.#fields, ...fields },
    });
  }

  enabled(level: Level): boolean {
    return RANK[level] >= this.#min;
  }

  debug(msg: string, fields?: Fields): void {
    this.#write("debug", msg, fields);
  }
  info(msg: string, fields?: Fields): void {
    this.#write("info", msg, fields);
  }
  warn(msg: string, fields?: Fields): void {
    this.#write("warn", msg, fields);
  }
  error(msg: string, fields?: Fields): void {
    this.#write("error", msg, fields);
  }

  #write(level: Level, msg: string, fields?: Fields): void {
    if (!this.enabled(level)) return;
    const record: Fields = { t: new Date().toISOString(), level, msg, ...this.#fields };
    if (fields !== undefined) Object.assign(record, fields);
    for (const key of Object.keys(record)) {
      if (SECRET_FIELD.test(key)) record[key] = "[redacted]";
    }
    this.#sink(JSON.stringify(record, errorReplacer));
  }
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

const encoder = new TextEncoder();
/** With Deno's OpenTelemetry export on, console output becomes OTel log records. */
const OTEL = Deno.env.get("OTEL_DENO") === "true";

function defaultSink(line: string): void {
  if (OTEL) {
    // deno-lint-ignore no-console
    console.error(line);
    return;
  }
  Deno.stderr.writeSync(encoder.encode(line + "\n"));
}
