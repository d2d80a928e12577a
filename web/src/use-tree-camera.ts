import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';
import { select } from 'd3-selection';
import 'd3-transition';
import { zoom, zoomIdentity, zoomTransform } from 'd3-zoom';
import type { D3ZoomEvent, ZoomBehavior } from 'd3-zoom';
import { buildFrameBox, buildFrameTransform, isFramed, sameTransform } from './frame-box.ts';
import type { Box, Transform } from './frame-box.ts';
import type { TreeLayout } from './layout-tree.ts';

/** Below this zoom, labels are unreadable anyway: the tree is drawn as an overview. */
export const FAR_BELOW_SCALE = 0.3;
const MOVE_MS = 300;

/** What the camera should show: the chain's pids (null: everything), and when to frame it afresh. */
export interface FrameRequest {
  pids: readonly number[] | null;
  /** Changes when a new framing is asked for (a selection, a toggle, Fit). */
  epoch: string;
  /** Kept still on screen across live updates, so unrelated churn does not move the view. */
  anchor: number | null;
  minScale: number;
  maxScale: number;
}

interface Camera {
  epoch: string | null;
  size: string;
  anchor: { pid: number; x: number; y: number } | null;
  /** The person panned or zoomed since the last framing: only keep the anchor still, do not re-frame. */
  userMoved: boolean;
  /** Where the running move ends. */
  target: Transform | null;
  movingUntil: number;
}

/**
 * Owns pan and zoom: frames the chain when asked (a selection, a toggle, the area's size),
 * keeps the anchor still when the tree changes under it, and re-frames when the chain no
 * longer fits (unless the person has moved the view themselves).
 */
export function useTreeCamera(
  svgRef: RefObject<SVGSVGElement | null>,
  layout: TreeLayout,
  frame: FrameRequest,
  size: { width: number; height: number } | null,
  /** The person panned or zoomed (d3-zoom gives a source event only for their own wheel, drag or touch). */
  onUserMove?: () => void,
) {
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const cam = useRef<Camera>({ epoch: null, size: '', anchor: null, userMoved: false, target: null, movingUntil: 0 });
  // The region drawn when culling: the screen plus one screen around it, in tree coordinates.
  const [region, setRegion] = useState<Box | null>(null);
  const regionRef = useRef<Box | null>(null);
  const [far, setFar] = useState(false);
  const onUserMoveRef = useRef(onUserMove);
  useLayoutEffect(() => {
    onUserMoveRef.current = onUserMove;
  });

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const group = svg.querySelector<SVGGElement>('g.viewport');
    const onZoom = (event: Pick<D3ZoomEvent<SVGSVGElement, unknown>, 'transform' | 'sourceEvent'>): void => {
      const t = event.transform;
      if (event.sourceEvent) {
        cam.current.userMoved = true;
        onUserMoveRef.current?.();
      }
      group?.setAttribute('transform', t.toString());
      setFar(t.k < FAR_BELOW_SCALE);
      const { width, height } = svg.getBoundingClientRect();
      const screen = { x0: -t.x / t.k, x1: (width - t.x) / t.k, y0: -t.y / t.k, y1: (height - t.y) / t.k };
      const drawn = regionRef.current;
      if (drawn && screen.x0 >= drawn.x0 && screen.x1 <= drawn.x1 && screen.y0 >= drawn.y0 && screen.y1 <= drawn.y1) return;
      const w = screen.x1 - screen.x0;
      const h = screen.y1 - screen.y0;
      regionRef.current = { x0: screen.x0 - w, x1: screen.x1 + w, y0: screen.y0 - h, y1: screen.y1 + h };
      setRegion(regionRef.current);
    };
    const behaviour = zoom<SVGSVGElement, unknown>().scaleExtent([0.01, 4]).on('zoom', onZoom);
    select(svg).call(behaviour).on('dblclick.zoom', null);
    zoomRef.current = behaviour;
    onZoom({ transform: zoomTransform(svg), sourceEvent: null });
    return () => void select(svg).on('.zoom', null);
  }, [svgRef]);

  useLayoutEffect(() => {
    const svg = svgRef.current;
    const behaviour = zoomRef.current;
    if (!svg || !behaviour || !size || layout.nodes.length === 0) return;
    const c = cam.current;
    const sizeKey = `${Math.round(size.width)}x${Math.round(size.height)}`;
    const box = buildFrameBox(layout, frame.pids);
    const everything = frame.pids === null;
    const move = (t: Transform, durationMs: number): void => {
      const target = zoomIdentity.translate(t.x, t.y).scale(t.k);
      c.target = t;
      select(svg).interrupt();
      if (durationMs > 0) {
        c.movingUntil = performance.now() + durationMs;
        select(svg)
          .transition()
          .duration(durationMs)
          .call((tr) => behaviour.transform(tr, target));
      } else {
        c.movingUntil = 0;
        behaviour.transform(select(svg), target);
      }
    };
    const anchorNode = frame.anchor !== null ? layout.byPid.get(frame.anchor) : undefined;
    if (c.epoch !== frame.epoch || c.size !== sizeKey) {
      // A new framing: animate when the person asked for it, jump when the screen changed.
      if (box)
        move(
          buildFrameTransform(box, size.width, size.height, everything ? 0.01 : frame.minScale, frame.maxScale),
          c.epoch !== null && c.size === sizeKey ? MOVE_MS : 0,
        );
      c.epoch = frame.epoch;
      c.size = sizeKey;
      c.userMoved = false;
    } else {
      // The tree changed under the camera: keep the anchor where it was on screen.
      const left = c.target ? c.movingUntil - performance.now() : 0;
      const base: Transform = left > 0 && c.target ? c.target : zoomTransform(svg);
      let next = base;
      if (anchorNode && c.anchor?.pid === frame.anchor) {
        const dx = anchorNode.x - c.anchor.x;
        const dy = anchorNode.y - c.anchor.y;
        if (dx !== 0 || dy !== 0) next = { x: base.x - dx * base.k, y: base.y - dy * base.k, k: base.k };
      }
      // Unless the person moved the view: a chain that grew, or changed, is framed again.
      const ideal = box && !c.userMoved && !everything ? buildFrameTransform(box, size.width, size.height, frame.minScale, frame.maxScale) : null;
      // (A chain too big to fit at readable size is shown from its start: that is as framed as it gets.)
      if (box && ideal && !isFramed(box, next, size.width, size.height) && !sameTransform(next, ideal)) move(ideal, MOVE_MS);
      else if (next !== base) move(next, Math.max(0, left));
    }
    c.anchor = anchorNode ? { pid: anchorNode.process.pid, x: anchorNode.x, y: anchorNode.y } : null;
  }, [svgRef, layout, frame, size]);

  return { region, far };
}
