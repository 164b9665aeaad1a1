/**
 * Addresses that mean something on one link only: IPv6 link-local and multicast (neighbour discovery,
 * router solicitations), IPv4 multicast, broadcast and link-local, the unspecified address. They name
 * no pod and are not the outside world; reporting them as `world` draws false edges on every map.
 */
export function isLinkScoped(ip: string): boolean {
  if (ip.includes(':')) {
    const a = ip.toLowerCase();
    return a === '::' || a.startsWith('ff') || /^fe[89ab]/.test(a);
  }
  if (ip === '255.255.255.255' || ip === '0.0.0.0' || ip.startsWith('169.254.')) return true;
  const first = Number(ip.slice(0, ip.indexOf('.')));
  return first >= 224 && first <= 239;
}
