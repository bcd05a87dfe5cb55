import { BlockList, isIP } from "node:net";

/**
 * Addresses the gateway never fetches media from (SSRF): loopback, private,
 * link-local (cloud metadata at 169.254.169.254), CGNAT, unspecified,
 * multicast and reserved ranges (IANA special-purpose registries, RFC 6890).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 3],
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["2001:db8::", 32]] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

/** Whether an IP literal is one the gateway must not connect to; anything that is not an IP counts as private. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, "");
  // IPv4-mapped and NAT64 IPv6 forms hide an IPv4 address: check that one.
  const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (embedded !== undefined) return isPrivateAddress(embedded);
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, "ipv4");
  if (family === 6) return /^::ffff:/i.test(ip) || blocked.check(ip, "ipv6");
  return true;
}
