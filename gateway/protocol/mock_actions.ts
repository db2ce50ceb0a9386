// This module is browser-compatible.

/**
 * The action codes of the front page's mock Discord (`mock_user_event`,
 * `mock_bot_event`), as the original shard and the archit.us client number
 * them.
 */
export const MockAction = {
  messageSend: 3001,
  messageEdit: 3002,
  messageDelete: 72,
  reactionAdd: 3100,
  reactionRemove: 3101,
} as const;

export type MockActionCode = (typeof MockAction)[keyof typeof MockAction];
