import { useMemo } from 'react';
import { encode } from 'uqr';

/** The dark modules of a QR code as one SVG path, one unit per module. Pure. */
export function buildQrPath(text: string): { size: number; path: string } {
  const qr = encode(text, { border: 2 });
  let path = '';
  qr.data.forEach((row, y) => row.forEach((dark, x) => (path += dark ? `M${x} ${y}h1v1h-1z` : '')));
  return { size: qr.size, path };
}

/** The room the open QR code takes at the bottom right of the tree area (its box and margin, CSS px): the camera frames beside it. */
export const SHARE_QR_RESERVE = 190;

/**
 * On the presenter's screen with --share: the audience address as a QR code, to scan from the
 * room. Open by default; the camera keeps the framed chain clear of it while it is open.
 */
export function ShareQr({ url, open, setOpen }: { url: string; open: boolean; setOpen: (open: boolean) => void }) {
  const qr = useMemo(() => buildQrPath(url), [url]);
  if (!open) {
    return (
      <button type="button" className="share-qr-open" data-testid="share-qr-open" onClick={() => setOpen(true)} title="Show the audience QR code">
        QR
      </button>
    );
  }
  return (
    <figure className="share-qr" data-testid="share-qr" data-url={url}>
      <svg viewBox={`0 0 ${qr.size} ${qr.size}`} role="img" aria-label="QR code of the audience address" shapeRendering="crispEdges">
        <rect width={qr.size} height={qr.size} fill="#fff" />
        <path d={qr.path} fill="#000" />
      </svg>
      <figcaption>Scan to follow</figcaption>
      <button type="button" className="close" aria-label="Hide the QR code" onClick={() => setOpen(false)}>
        ×
      </button>
    </figure>
  );
}
