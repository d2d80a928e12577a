import { useEffect, useRef, useState } from 'react';
import { PLAYBACK_SPEEDS, playbackSpeedSchema } from '@proclens/shared';
import type { ClientMessage, PlaybackState, TimelineEvent } from '@proclens/shared';
import { findShownPlayhead, formatClock, formatSpan } from './find-shown-playhead.ts';
import { groupMarkers } from './group-markers.ts';
import './player.css';

/** How often the bar redraws the moving playhead. */
const REDRAW_MS = 250;
/** While dragging, seeks go to the server at most this often (the last one always goes). */
const DRAG_SEEK_MS = 120;
/** Marks closer than this (a fraction of the scrubber, about a mark's width) are one mark. */
const MARKER_GAP = 0.008;

interface Props {
  playback: { state: PlaybackState; receivedAt: number };
  markers: readonly TimelineEvent[];
  /** The audience watches the presenter's playhead and cannot move it. */
  canDrive: boolean;
  send: (message: ClientMessage) => void;
}

/**
 * The player: play, pause, speed, the current moment, and a scrubber with a mark for each
 * container event. Over a recording it plays the file; on a live host it scrubs back through the
 * last minutes, and "live" returns to the present.
 */
export function PlayerBar({ playback, markers, canDrive, send }: Props) {
  const [now, setNow] = useState(() => performance.now());
  const [dragging, setDragging] = useState<number | null>(null);
  const lastSeek = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { state, receivedAt } = playback;
  const moving = state.playing || state.mode === 'live';

  useEffect(() => {
    if (!moving) return;
    const timer = setInterval(() => setNow(performance.now()), REDRAW_MS);
    return () => clearInterval(timer);
  }, [moving]);
  useEffect(() => () => clearTimeout(pending.current), []);

  const shown = findShownPlayhead(state, now - receivedAt);
  const at = dragging ?? shown.at;
  const span = Math.max(1, shown.end - shown.start);
  const live = state.mode === 'live';

  const seek = (target: number, final: boolean): void => {
    clearTimeout(pending.current);
    const wait = lastSeek.current + DRAG_SEEK_MS - performance.now();
    const go = (): void => {
      lastSeek.current = performance.now();
      send({ type: 'seek', at: Math.round(target) });
    };
    if (final || wait <= 0) go();
    else pending.current = setTimeout(go, wait);
  };

  const title = canDrive ? undefined : 'The presenter drives playback';
  return (
    <div
      className={`player-bar ${live ? 'live-mode' : 'replay-mode'}`}
      data-testid="player-bar"
      data-mode={state.mode}
      data-live={state.live}
      role="group"
      aria-label="Player"
    >
      <button
        type="button"
        className="player-play"
        data-testid="player-play"
        disabled={!canDrive}
        title={title ?? (state.playing ? (live && state.live ? 'Pause: hold the view as it is now' : 'Pause') : 'Play')}
        aria-label={state.playing ? 'Pause' : 'Play'}
        onClick={() => send({ type: state.playing ? 'pause' : 'play' })}
      >
        {state.playing ? '❚❚' : '▶'}
      </button>
      <select
        className="player-speed"
        data-testid="player-speed"
        aria-label="Speed"
        title={title ?? 'Speed'}
        disabled={!canDrive}
        value={state.speed}
        onChange={(e) => {
          const speed = playbackSpeedSchema.safeParse(Number(e.target.value));
          if (speed.success) send({ type: 'speed', speed: speed.data });
        }}
      >
        {PLAYBACK_SPEEDS.map((s) => (
          <option key={s} value={s}>
            {s}×
          </option>
        ))}
      </select>
      <span className="player-time" data-testid="player-time" data-at={Math.round(at)}>
        <strong>{formatClock(at)}</strong>{' '}
        <span className="muted">
          {live ? (state.live && dragging === null ? 'now' : `−${formatSpan(shown.end - at)}`) : `${formatSpan(at - shown.start)} / ${formatSpan(span)}`}
        </span>
      </span>
      <div className="player-track">
        <input
          type="range"
          className="player-slider"
          data-testid="player-slider"
          aria-label={live ? 'Scrub back through the last minutes' : 'Seek'}
          title={title}
          disabled={!canDrive}
          min={shown.start}
          max={shown.end}
          step={100}
          value={at}
          onChange={(e) => {
            const target = Number(e.target.value);
            setDragging(target);
            seek(target, false);
          }}
          onPointerUp={(e) => {
            if (dragging !== null) seek(Number((e.target as HTMLInputElement).value), true);
            setDragging(null);
          }}
          onKeyUp={() => setDragging(null)}
          onBlur={() => setDragging(null)}
        />
        {groupMarkers(markers, shown.start, shown.end, MARKER_GAP).map((g) => {
          const text = g.events.map((m) => m.text).join('; ');
          return (
            <button
              type="button"
              key={g.events[0]?.id}
              className={`player-marker ${g.stops ? 'stop' : 'start'}`}
              data-testid="player-marker"
              data-at={g.at}
              disabled={!canDrive}
              title={`${formatClock(g.at)} ${text}`}
              aria-label={`Go to ${formatClock(g.at)}: ${text}`}
              style={{ left: `${g.position * 100}%` }}
              onClick={() => seek(g.at, true)}
            />
          );
        })}
      </div>
      {live ? (
        <button
          type="button"
          className={`player-live ${state.live ? 'on' : ''}`}
          data-testid="player-live"
          aria-pressed={state.live}
          disabled={!canDrive}
          title={title ?? 'Back to the host as it is now'}
          onClick={() => send({ type: 'live' })}
        >
          ● live
        </button>
      ) : (
        <span className="player-label muted">replay</span>
      )}
    </div>
  );
}
