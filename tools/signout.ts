import { AmqpBus, encodeRevocation, REVOCATION_LOG } from "../gateway/bus/mod.ts";
import { parseId } from "../gateway/protocol/mod.ts";

/**
 * `deno task signout <user-id>`: signs a user out on every gateway node that
 * shares the broker (`AMQP_URL`, `BUS_NAMESPACE`): their connections are
 * demoted and their tokens issued until now no longer elevate, until they
 * expire. It appends to the same durable log as a node's own sign-out and
 * the REST API's `demote_connection`.
 */
const write = (text: string) => Deno.stderr.writeSync(new TextEncoder().encode(text + "\n"));
const userId = Deno.args[0] ?? "";
if (parseId(userId) === null) {
  write("usage: deno task signout <user-id>   (a decimal Discord id)");
  Deno.exit(2);
}
const url = Deno.env.get("AMQP_URL");
if (url === undefined || url === "") {
  write("signout needs AMQP_URL: the broker the gateway nodes share");
  Deno.exit(2);
}
const bus = new AmqpBus({
  url,
  name: "gateway-signout",
  namespace: Deno.env.get("BUS_NAMESPACE") ?? "",
});
try {
  await bus.start();
  await bus.append(
    REVOCATION_LOG,
    encodeRevocation({ kind: "sign_out", userId, revokedAt: Date.now() }),
  );
  write(`signed out ${userId} on every node`);
} catch (error) {
  write(`signout failed: ${(error as Error).message}`);
  Deno.exitCode = 1;
} finally {
  await bus.shutdown();
}
