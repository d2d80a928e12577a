import type { EngineStatus } from '@proclens/shared';
import { engineName } from './container-source.ts';

export interface EngineNotice {
  /** The engines that cannot be reached, each said with where it was looked for. */
  unreachable: EngineStatus[];
  /** What the page shows meanwhile. */
  meanwhile: string;
}

function list(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * What the banner says when an engine cannot be reached; null when every engine answers. It
 * promises that containers "will appear" only when none can be shown now: another engine may be
 * connected, and containers whose engine is down are still listed from /proc. Pure.
 */
export function buildEngineNotice(engines: readonly EngineStatus[], containerCount: number): EngineNotice | null {
  const unreachable = engines.filter((e) => e.state === 'disconnected');
  if (unreachable.length === 0) return null;
  const connected = engines.filter((e) => e.state === 'connected').map((e) => engineName(e.kind));
  const down = list(unreachable.map((e) => engineName(e.kind)));
  let meanwhile: string;
  if (connected.length > 0)
    meanwhile = `${list(connected)} ${connected.length === 1 ? 'is' : 'are'} connected: ${connected.length === 1 ? 'its' : 'their'} containers are shown, and ${down}’s as /proc shows them.`;
  else if (containerCount > 0)
    meanwhile = `Containers are listed from /proc (the runtime processes’ arguments) until ${down} ${unreachable.length === 1 ? 'answers' : 'answer'} again.`;
  else meanwhile = `Showing the /proc tree only; containers will appear when ${unreachable.length === 1 ? 'the engine is' : 'an engine is'} up.`;
  return { unreachable, meanwhile };
}
