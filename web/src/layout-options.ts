import type { ContainerInfo } from '@proclens/shared';
import type { MeasureText } from './node-label.ts';

/** Like `pstree`, this many identical leaf siblings or more are drawn as one `4*[sleep]` node. */
export const COMPACT_MIN = 2;
/** A group this big or smaller may open in place; a bigger one is listed in the side pane instead. */
export const GROUP_INLINE_MAX = 8;

export type LayoutMode = 'wide' | 'stacked';

export interface LayoutOptions {
  containers: ReadonlyMap<string, ContainerInfo>;
  /** Folded processes: their subtrees are hidden. */
  collapsed: ReadonlySet<number>;
  /** Small groups the user opened in place. */
  expandedGroups: ReadonlySet<string>;
  /** Small groups holding one of these open (a highlighted container's members, search matches). */
  keepVisible: ReadonlySet<number>;
  /** Drawn as their own node even out of a big group (the selection). */
  pinned: ReadonlySet<number>;
  /** Drawn before their siblings, with their ancestors: the framed chain then reads as one run. */
  first: ReadonlySet<number>;
  /** The Docker focus: only these and their ancestors are drawn; the rest is one `+N other processes` node. */
  focus: ReadonlySet<number> | null;
  /** Processes that have exited and are drawn fading out. */
  departing: ReadonlySet<number>;
  /**
   * `wide`: like pstree, a parent on its first child's row and children right after its label.
   * `stacked`: one process per row, children indented below (for narrow screens and big type).
   */
  mode: LayoutMode;
  measure: MeasureText;
  rowHeight: number;
  /** Stacked only: labels wider than this go on two lines. */
  wrapAt: number | null;
}

/** The options of a tree as first drawn: nothing folded, opened, pinned or focused; wide, unwrapped. */
export function buildPlainLayoutOptions(
  containers: ReadonlyMap<string, ContainerInfo>,
  measure: MeasureText,
  rowHeight: number,
  extra: Partial<LayoutOptions> = {},
): LayoutOptions {
  return {
    containers,
    collapsed: new Set(),
    expandedGroups: new Set(),
    keepVisible: new Set(),
    pinned: new Set(),
    first: new Set(),
    focus: null,
    departing: new Set(),
    mode: 'wide',
    measure,
    rowHeight,
    wrapAt: null,
    ...extra,
  };
}
