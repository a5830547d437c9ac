// Conversation state while rows stream by in input order: the last customer turn (carried with the
// agent turns after it) and a running turn number. Exports list a conversation's rows together, so a
// bounded LRU map keeps memory flat whatever the number of conversations.

export interface ConversationState {
  /** The most recent customer turn of this conversation. */
  customer?: string;
  /** Rows of this conversation seen so far. */
  turns: number;
}

export class ConversationTracker {
  private readonly states = new Map<string, ConversationState>();
  private lastKey: string | undefined;
  private lastState: ConversationState | undefined;

  constructor(private readonly capacity = 20_000) {}

  /** The state of a conversation, created on first sight; the least recently used one is dropped when full. */
  get(key: string): ConversationState {
    if (key === this.lastKey && this.lastState) return this.lastState;
    let state = this.states.get(key);
    if (state) {
      this.states.delete(key); // re-inserted below: Map order is the LRU order
    } else {
      state = { turns: 0 };
      if (this.states.size >= this.capacity) this.states.delete(this.states.keys().next().value!);
    }
    this.states.set(key, state);
    this.lastKey = key;
    this.lastState = state;
    return state;
  }

  get size(): number {
    return this.states.size;
  }
}
