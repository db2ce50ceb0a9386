/** One serialised log event, shared by every connection that receives it. */
export interface WireEvent {
  readonly id: string;
  readonly json: string;
  readonly private: boolean;
}

/** A `log_other` frame of already serialised events. */
export function logFrame(guildId: string, events: readonly WireEvent[]): string {
  let body = "";
  for (let i = 0; i < events.length; i++) {
    body += i === 0 ? (events[i] as WireEvent).json : "," + (events[i] as WireEvent).json;
  }
  return `{"_event":"log_other","guild_id":"${guildId}","events":[${body}]}`;
}
