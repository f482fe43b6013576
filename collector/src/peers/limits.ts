/** Named limits of the fan-out to peers (docs/limits.md). */
export const PEER_LIMITS = {
  /** Longest wait for one peer's HTTP answer; a slower peer is left out with a warning. */
  requestTimeoutMs: 5000,
  /** Largest HTTP answer read from one peer. */
  maxAnswerBytes: 64 * 1024 * 1024,
  /** Unsent bytes a fanned-out tail client may hold before relayed records are dropped (and counted). */
  maxClientBufferedBytes: 4 * 1024 * 1024,
  /** Wait before following a peer's tail again after it ended. */
  reconnectMs: 2000,
  /** How often a --peers-dns name is looked up again. */
  dnsRefreshMs: 30_000,
} as const;
