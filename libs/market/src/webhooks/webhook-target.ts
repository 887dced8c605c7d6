import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may point (server-side request forgery): http or https to a public address.
 * Checked when a subscription is saved (a literal address, or every address its name resolves
 * to) and again at every delivery, on the addresses resolved for that delivery, which are then
 * the ones connected to: a name that resolved to a public address at save time and to an
 * internal one later (DNS rebinding) is refused at the connection that matters.
 */

/** Ranges no webhook may reach: loopback, private, link-local, CGNAT, multicast, reserved, documentation. */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) BLOCKED.addSubnet(net, prefix, 'ipv6');

/**
 * The IPv4 address an IPv6 one carries, where it carries one a packet may end up at: mapped
 * (`::ffff:a.b.c.d`), compatible (`::a.b.c.d`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`).
 */
function embeddedIpv4(address: string): string | undefined {
  const groups = expandIpv6(address);
  if (!groups) return undefined;
  const v4 = (hi: number, lo: number): string => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number): boolean => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return v4(groups[6]!, groups[7]!);
  if (zeros(0, 6) && (groups[6] !== 0 || groups[7]! > 1)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!);
  return undefined;
}

/** Eight 16-bit groups of an IPv6 address (a dotted IPv4 tail included), or undefined. */
function expandIpv6(address: string): number[] | undefined {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined): number[] => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  const groups = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/** Whether a webhook may connect to this address (an IPv4 or IPv6 literal). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !BLOCKED.check(address, 'ipv4');
  if (family !== 6) return false;
  const inner = embeddedIpv4(address);
  if (inner !== undefined) return isPublicAddress(inner) && !BLOCKED.check(address.split('%')[0]!, 'ipv6');
  return !BLOCKED.check(address.split('%')[0]!, 'ipv6');
}

/** Why a target is refused, in words for the person who typed it. */
export class TargetRefused extends Error {}

/** The URL checked for its form alone: http(s), a host, no credentials. Returns it parsed. */
export function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused('must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TargetRefused('must use http or https');
  if (url.username || url.password) throw new TargetRefused('must not carry a user name or password');
  if (!url.hostname) throw new TargetRefused('must name a host');
  return url;
}

/** The hostname as an address literal when it is one (URL keeps IPv6 in brackets). */
export function literalAddress(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : undefined;
}

export type Resolver = (hostname: string) => Promise<readonly { address: string; family: number }[]>;
const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * The addresses to connect to for a delivery: all of the name's addresses must be public (one
 * internal answer among public ones would let a rebinding resolver choose), unless private
 * targets are allowed. Throws `TargetRefused`, or the resolver's error when the name does not resolve.
 */
export async function resolveTarget(url: URL, allowPrivate: boolean, resolve: Resolver = systemResolver): Promise<{ address: string; family: 4 | 6 }[]> {
  const literal = literalAddress(url);
  const found = literal ? [{ address: literal, family: isIP(literal) }] : await resolve(url.hostname);
  if (found.length === 0) throw new Error(`${url.hostname} has no address`);
  if (!allowPrivate) {
    const inside = found.find((a) => !isPublicAddress(a.address));
    if (inside) throw new TargetRefused(`points to ${inside.address}, a private, loopback or otherwise internal address; webhooks go to public addresses only`);
  }
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}
