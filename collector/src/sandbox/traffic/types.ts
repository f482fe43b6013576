/** One request the traffic generator can send to a function. */
export interface TrafficPayload {
  /** HTTP method (default POST). */
  method?: string;
  /** A string is sent as is; anything else as JSON. Absent: no body. */
  body?: string | number | boolean | null | Record<string, unknown> | unknown[];
  /** Content type of a string body (default text/plain); JSON bodies are application/json. */
  contentType?: string;
  headers?: Record<string, string>;
}

/** Inputs a function handles well, and inputs that make it fail, time out or crash. */
export interface TrafficPayloads {
  good: TrafficPayload[];
  bad: TrafficPayload[];
  /** This function's bad share relative to the generator's (default 1), e.g. 0.25 for a quarter. */
  badShareScale?: number;
}

export interface TrafficTarget {
  namespace: string;
  name: string;
  payloads: TrafficPayloads;
}

export interface InvokeRequest {
  method: string;
  body: string;
  headers: Record<string, string>;
}

export interface InvokeResult {
  status: number;
  body: string;
}

/** Calls a function (through the sandbox's service proxy, or directly). */
export type InvokeFn = (namespace: string, fn: string, req: InvokeRequest) => Promise<InvokeResult>;

/** What happened to one call. */
export interface TrafficCall {
  namespace: string;
  name: string;
  bad: boolean;
  /** HTTP status, or undefined when invoke() threw. */
  status: number | undefined;
  error?: string;
}
