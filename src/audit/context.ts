// Conversation state while rows stream by in input order: the last customer turn (carried with the
// agent turns after it) and a running turn number. Exports list a conversation's rows together, so a
// bounded map of the conversations seen lately keeps memory flat whatever the number of conversations.

export interface ConversationState {
  /** The most recent customer turn of this conversation. */
  customer?: string;
  /** Rows of this conversation seen so far. */
  turns: number;
}

export class ConversationTracker {
  // Two generations instead of an exact LRU: a state seen lately is in `recent`; when `recent` is full it
  // becomes `older` and the previous `older` is dropped. An exact LRU (delete and re-insert on every
  // touch, evict the first key) left the Map full of deleted slots that every eviction scanned past.
  private recent = new Map<string, ConversationState>();
  private older = new Map<string, ConversationState>();
  private lastKey: string | undefined;
  private lastState: ConversationState | undefined;

  /** At most `capacity` conversations are remembered. */
  constructor(private readonly capacity = 20_000) {}

  /** The state of a conversation, created on first sight; conversations not seen for long are forgotten. */
  get(key: string): ConversationState {
    if (key === this.lastKey && this.lastState) return this.lastState;
    let state = this.recent.get(key);
    if (!state) {
      state = this.older.get(key) ?? { turns: 0 };
      this.older.delete(key);
      if (this.recent.size >= Math.max(1, this.capacity >> 1)) {
        this.older = this.recent;
        this.recent = new Map();
      }
      this.recent.set(key, state);
    }
    this.lastKey = key;
    this.lastState = state;
    return state;
  }

  get size(): number {
    return this.recent.size + this.older.size;
  }
}
