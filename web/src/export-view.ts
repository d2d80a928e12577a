import type { TreeLayout } from './layout-tree.ts';

const MARGIN = 24;

/** CSS rules that style the tree, copied into the exported file so it looks the same anywhere. */
function treeCss(): string {
  const rules: string[] = [];
  for (const sheet of Array.from(document.styleSheets)) {
    let list: CSSRuleList;
    try {
      list = sheet.cssRules;
    } catch {
      continue;
    }
    for (const rule of Array.from(list)) {
      if (rule instanceof CSSStyleRule && /(^|[\s,])(\.node|\.link|svg\.tree|\.ns-badge)/.test(rule.selectorText)) rules.push(rule.cssText);
    }
  }
  // Resolve the theme's variables, which live on :root and would not travel with the SVG.
  const root = getComputedStyle(document.documentElement);
  const vars = ['--bg', '--text', '--muted', '--accent', '--runtime', '--container', '--dim', '--danger', '--link'].map(
    (v) => `${v}: ${root.getPropertyValue(v)};`,
  );
  return `svg { ${vars.join(' ')} font-family: system-ui, sans-serif; } ${rules.join('\n')}`;
}

/** The whole tree (not just what is on screen) as a standalone SVG document. */
export function buildSvgExport(svg: SVGSVGElement, layout: TreeLayout): { text: string; width: number; height: number } {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const { minX, maxX, minY, maxY } = layout.bounds;
  const width = Math.ceil(maxX - minX + 2 * MARGIN);
  const height = Math.ceil(maxY - minY + 2 * MARGIN);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('viewBox', `${minX - MARGIN} ${minY - MARGIN} ${width} ${height}`);
  clone.querySelector('g.viewport')?.removeAttribute('transform');
  clone.querySelectorAll('title').forEach((t) => t.remove());
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  style.textContent = treeCss();
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  Object.entries({
    x: minX - MARGIN,
    y: minY - MARGIN,
    width,
    height,
    fill: getComputedStyle(document.documentElement).getPropertyValue('--bg') || '#fff',
  }).forEach(([k, v]) => background.setAttribute(k, String(v)));
  clone.insertBefore(background, clone.firstChild);
  clone.insertBefore(style, clone.firstChild);
  return { text: new XMLSerializer().serializeToString(clone), width, height };
}

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function exportSvg(svg: SVGSVGElement, layout: TreeLayout, name: string): void {
  download(new Blob([buildSvgExport(svg, layout).text], { type: 'image/svg+xml' }), `${name}.svg`);
}

/** PNG at twice the size, for crisp slides; very large trees are scaled to fit the canvas limit. */
export async function exportPng(svg: SVGSVGElement, layout: TreeLayout, name: string): Promise<void> {
  const { text, width, height } = buildSvgExport(svg, layout);
  const scale = Math.min(2, 16_000 / Math.max(width, height));
  const image = new Image();
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  await new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('could not render the tree'));
    image.src = url;
  });
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no canvas');
  context.scale(scale, scale);
  context.drawImage(image, 0, 0);
  URL.revokeObjectURL(url);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (blob) download(blob, `${name}.png`);
}
