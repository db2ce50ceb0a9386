/**
 * The address a connection is counted under. Without a trusted proxy it is
 * the TCP peer. Behind a load balancer every peer is the balancer, so a
 * deployment names the header the balancer sets (`TRUSTED_PROXY_HEADER`,
 * e.g. `x-forwarded-for` or `x-real-ip`); its last entry is the address the
 * balancer saw, which a client cannot forge (entries before it can be). Only
 * set it when every connection comes through that proxy.
 */
export function clientAddress(
  headers: Headers,
  peer: string | undefined,
  trustedHeader: string | undefined,
): string {
  if (trustedHeader !== undefined) {
    const value = headers.get(trustedHeader);
    const last = value?.split(",").pop()?.trim();
    if (last !== undefined && last.length > 0 && last.length <= 64) return last;
  }
  return peer ?? "unknown";
}
