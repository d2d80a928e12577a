import { describe, expect, it } from 'vitest';
import { renderUnicodeCompact } from 'uqr';
import { buildBannerUrls, rankAddresses } from './build-banner.ts';
import { buildStartBanner } from './build-start-banner.ts';

const settings = { replay: null, record: null, share: true };

describe('the start banner', () => {
  it('rankAddresses puts real interfaces before container bridges and tunnels', () => {
    const ranked = rankAddresses([
      { name: 'docker0', address: '172.17.0.1' },
      { name: 'br-4f2a', address: '172.18.0.1' },
      { name: 'wlp2s0', address: '192.168.1.20' },
      { name: 'eth0', address: '10.0.0.5' },
    ]);
    expect(ranked.slice(0, 2)).toEqual(['192.168.1.20', '10.0.0.5']);
  });

  it('with --share: this machine first, then a presenter and an audience address at the best interface', () => {
    expect(buildBannerUrls('0.0.0.0', 7700, 'P'.repeat(16), ['192.168.1.20', '172.17.0.1'], 'A'.repeat(16))).toEqual([
      { label: 'dashboard', url: `http://127.0.0.1:7700/?token=${'P'.repeat(16)}` },
      { label: 'presenter', url: `http://192.168.1.20:7700/?token=${'P'.repeat(16)}` },
      { label: 'audience', url: `http://192.168.1.20:7700/?token=${'A'.repeat(16)}` },
    ]);
  });

  it('prints "presenter:" and "audience:" one line each, and a QR code of the audience address', () => {
    const urls = buildBannerUrls('0.0.0.0', 7700, 'presenter-token-1', ['192.168.1.20'], 'audience-token-1');
    const drawn: string[] = [];
    const text = buildStartBanner(settings, urls, (t, o) => (drawn.push(t), renderUnicodeCompact(t, o)));
    const lines = text.split('\n');
    expect(lines[0]).toBe('proclens is watching this host at http://127.0.0.1:7700/?token=presenter-token-1');
    expect(lines).toContain('presenter: http://192.168.1.20:7700/?token=presenter-token-1');
    expect(lines).toContain('audience: http://192.168.1.20:7700/?token=audience-token-1');
    expect(drawn).toEqual(['http://192.168.1.20:7700/?token=audience-token-1']);
    // The QR code: block characters, as many rows as the code is tall over two.
    expect(lines.filter((l) => /^[█▀▄ ]+$/.test(l)).length).toBeGreaterThan(10);
  });

  it('warns when there is no address but loopback to share', () => {
    const urls = buildBannerUrls('0.0.0.0', 7700, 'p'.repeat(16), [], 'a'.repeat(16));
    expect(buildStartBanner(settings, urls, () => '')).toMatch(/No network interface besides loopback/);
  });

  it('says what it replays or records', () => {
    const urls = buildBannerUrls('127.0.0.1', 7700, 'p'.repeat(16), [], null);
    expect(buildStartBanner({ replay: 'demo/lesson.jsonl.gz', record: null, share: false }, urls, () => '')).toMatch(
      /^proclens is replaying demo\/lesson\.jsonl\.gz at http/,
    );
    expect(buildStartBanner({ replay: null, record: 'x.jsonl.gz', share: false }, urls, () => '')).toMatch(/Recording to x\.jsonl\.gz/);
  });
});
