import type { SharedView } from '@proclens/shared';

/** Audience pages get the presenter's view at most this often (the last one always arrives). */
export const PRESENT_GAP_MS = 100;
/** Presenters hear how many follow at most this often. */
export const PRESENCE_GAP_MS = 250;

export interface RoomMember {
  role: 'presenter' | 'audience';
  /** An audience page that follows the presenter (the default), or has broken away. */
  following: boolean;
}

export interface RoomOptions {
  /** Sends the presenter's view (serialised once) to every audience member. */
  sendView(json: string): void;
  /** Sends presence to every presenter. */
  sendPresence(json: string): void;
}

/**
 * Follow the presenter: the presenter's latest view, handed to every audience page (now and on
 * joining), and how many audience pages there are and follow, handed to presenters. Both are
 * coalesced: whatever arrives in between, the last state goes out at the end of the gap.
 */
export class ShareRoom {
  private view: SharedView | null = null;
  private viewTimer: ReturnType<typeof setTimeout> | undefined;
  private presenceTimer: ReturnType<typeof setTimeout> | undefined;
  private lastPresence = '';

  constructor(
    private readonly members: () => Iterable<RoomMember>,
    private readonly options: RoomOptions,
  ) {}

  /** The presenter's view message as an audience member joining gets it. */
  viewMessage(): string {
    return JSON.stringify({ type: 'presenter', view: this.view });
  }

  presenceMessage(): string {
    let audience = 0;
    let following = 0;
    for (const m of this.members()) {
      if (m.role !== 'audience') continue;
      audience++;
      if (m.following) following++;
    }
    return JSON.stringify({ type: 'presence', audience, following });
  }

  present(view: SharedView): void {
    this.view = view;
    this.viewTimer ??= setTimeout(() => {
      this.viewTimer = undefined;
      this.options.sendView(this.viewMessage());
    }, PRESENT_GAP_MS);
  }

  /** Someone joined, left, followed or broke away. */
  membersChanged(): void {
    this.presenceTimer ??= setTimeout(() => {
      this.presenceTimer = undefined;
      const message = this.presenceMessage();
      if (message === this.lastPresence) return;
      this.lastPresence = message;
      this.options.sendPresence(message);
    }, PRESENCE_GAP_MS);
  }

  close(): void {
    clearTimeout(this.viewTimer);
    clearTimeout(this.presenceTimer);
  }
}
