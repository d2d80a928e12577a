/** One address the dashboard can be opened at, for the start-up banner. */
export interface BannerUrl {
  /** `dashboard` (this machine), `on the network`, or with `--share` `presenter` and `audience`. */
  label: string;
  url: string;
}

/** A network interface's IPv4 address, as `os.networkInterfaces()` names it. */
export interface InterfaceAddress {
  name: string;
  address: string;
}

/** Interfaces that lead into containers or VMs on this machine, not to the people in the room. */
const LOCAL_BRIDGES = /^(docker|br-|veth|cni|flannel|cali|podman|virbr|lxc|lxd|vboxnet|vmnet|tun|tap|wg)/;

/** `http://host:port/?token=…`, brackets for IPv6. Pure. */
export function buildDashboardUrl(host: string, port: number, token: string): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}/?token=${token}`;
}

/** Addresses others can most likely reach first: real interfaces before container bridges and tunnels. Pure. */
export function rankAddresses(interfaces: readonly InterfaceAddress[]): string[] {
  const rank = (i: InterfaceAddress): number => (LOCAL_BRIDGES.test(i.name) ? 1 : 0);
  return [...interfaces].sort((a, b) => rank(a) - rank(b)).map((i) => i.address);
}

/**
 * The addresses to print: where this machine opens it first (loopback when bound to every
 * interface), then each interface address other machines can use. With `--share`: the presenter
 * and audience addresses at the interface most likely reached from other machines. Pure:
 * addresses are given, ranked.
 */
export function buildBannerUrls(bindHost: string, port: number, token: string, addresses: readonly string[], audienceToken: string | null = null): BannerUrl[] {
  const anyHost = bindHost === '0.0.0.0' || bindHost === '::';
  const local = anyHost ? '127.0.0.1' : bindHost;
  const here: BannerUrl = { label: 'dashboard', url: buildDashboardUrl(local, port, token) };
  if (audienceToken !== null) {
    const shared = anyHost ? (addresses[0] ?? local) : bindHost;
    return [
      here,
      { label: 'presenter', url: buildDashboardUrl(shared, port, token) },
      { label: 'audience', url: buildDashboardUrl(shared, port, audienceToken) },
    ];
  }
  if (!anyHost) return [here];
  return [here, ...addresses.map((address) => ({ label: 'on the network', url: buildDashboardUrl(address, port, token) }))];
}
