/** What the stream transformer remembers about one candidate (one OpenAI choice) between events. */
export interface CandidateStreamState {
  index: number;
  /** Whether a delta (with role "assistant") was sent for this choice yet. */
  started: boolean;
  /** Tool calls begun so far: the next call's OpenAI `index`. */
  callCount: number;
  /** Parts seen so far, to key text-part signatures. */
  partCount: number;
  /** A call whose arguments Vertex is still streaming (`willContinue`). */
  open?: { index: number; id: string; args: Record<string, unknown>; continuing: Set<string> };
  finishReason?: string;
}

export function createCandidateStreamState(index: number): CandidateStreamState {
  return { index, started: false, callCount: 0, partCount: 0 };
}
