import type { BannerUrl } from './build-banner.ts';
import type { Settings } from './parse-cli.ts';

/** Draws a QR code of a text for a terminal (uqr's compact renderer in production). */
export type DrawQr = (text: string, options: { border: number }) => string;

/**
 * What the server prints when it is up. The first URL is this machine's (scripts and the tests
 * read it); with `--share`, two labelled lines for the room and a QR code of the audience's.
 * Pure.
 */
export function buildStartBanner(settings: Pick<Settings, 'replay' | 'record' | 'share'>, urls: readonly BannerUrl[], drawQr: DrawQr): string {
  const [first, ...others] = urls;
  const what = settings.replay ? `replaying ${settings.replay}` : 'watching this host';
  const lines = [`proclens is ${what} at ${first?.url ?? ''}`];
  if (settings.record) lines.push(`Recording to ${settings.record} (stop the server with Ctrl-C to finish the file).`);
  const audience = others.find((u) => u.label === 'audience');
  if (settings.share && audience) {
    for (const u of others) lines.push(`${u.label}: ${u.url}`);
    if (/^http:\/\/127\./.test(audience.url))
      lines.push('No network interface besides loopback was found: participants on other machines cannot reach this one.');
    lines.push(drawQr(audience.url, { border: 1 }).trimEnd());
    lines.push('The audience address is read-only and follows the presenter; keep the presenter address to yourself.');
  } else {
    for (const u of others) lines.push(`  ${u.label}: ${u.url}`);
    lines.push(
      `The address holds an access token: share it only with people who may see every process ${settings.replay ? 'in this recording' : 'on this host'}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
