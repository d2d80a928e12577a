/** One address the dashboard can be opened at, for the start-up banner. */
export interface BannerUrl {
  label: string;
  url: string;
}

/** `http://host:port/?token=…`, brackets for IPv6. Pure. */
export function buildDashboardUrl(host: string, port: number, token: string): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}/?token=${token}`;
}

/**
 * The addresses to print: where this machine opens it first (loopback when bound to every
 * interface), then each interface address other machines can use. Pure: addresses are given.
 */
export function buildBannerUrls(bindHost: string, port: number, token: string, interfaceAddresses: readonly string[]): BannerUrl[] {
  const anyHost = bindHost === '0.0.0.0' || bindHost === '::';
  if (!anyHost) return [{ label: 'dashboard', url: buildDashboardUrl(bindHost, port, token) }];
  return [
    { label: 'dashboard', url: buildDashboardUrl('127.0.0.1', port, token) },
    ...interfaceAddresses.map((address) => ({ label: 'on the network', url: buildDashboardUrl(address, port, token) })),
  ];
}
