import type { MeasureText } from './node-label.ts';

/**
 * The tree's type, per mode, in CSS px at zoom 1 (styles.css draws the same sizes). The camera
 * never frames a chain below `minScale`: in workshop mode that keeps every label of the framed
 * chain at 18 px or more on screen; where the chain is too big for that, the layout changes.
 */
export interface TreeType {
  font: string;
  main: number;
  small: number;
  rowHeight: number;
  minScale: number;
  maxScale: number;
}

const FONT = `system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif`;

export const NORMAL_TYPE: TreeType = { font: FONT, main: 14, small: 12, rowHeight: 24, minScale: 0.85, maxScale: 1.25 };
export const WORKSHOP_TYPE: TreeType = { font: FONT, main: 20, small: 18, rowHeight: 34, minScale: 1, maxScale: 1.2 };

export function treeType(workshop: boolean): TreeType {
  return workshop ? WORKSHOP_TYPE : NORMAL_TYPE;
}

/**
 * Measures label text with the browser's own font metrics, glyph by glyph (cached), so that
 * layout stays cheap on a big host and a framed label is never wider than the layout thinks.
 * Bold is measured, as selected and highlighted labels are drawn bold.
 */
export function buildCanvasMeasure(type: TreeType): MeasureText {
  const context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  const caches = [new Map<string, number>(), new Map<string, number>()];
  const fonts = [`700 ${type.main}px ${type.font}`, `700 ${type.small}px ${type.font}`];
  return (text, small) => {
    const index = small ? 1 : 0;
    const cache = caches[index] as Map<string, number>;
    const px = small ? type.small : type.main;
    let width = 0;
    for (const ch of text) {
      let w = cache.get(ch);
      if (w === undefined) {
        if (context) {
          context.font = fonts[index] as string;
          w = context.measureText(ch).width;
        } else w = px * 0.6;
        cache.set(ch, w);
      }
      width += w;
    }
    // Kerning and rounding: a little room, never a clipped last glyph.
    return width * 1.04;
  };
}
