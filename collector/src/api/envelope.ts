import type { Response } from 'express';

/**
 * The one JSON envelope every API answer uses, like Prometheus's HTTP API:
 * {status: "success"|"error", data?, error?, errorType?, warnings?}.
 */
export type ErrorType = 'bad_data' | 'not_found' | 'unauthorized' | 'forbidden' | 'too_large' | 'unavailable' | 'timeout' | 'internal';

const httpStatus: Record<ErrorType, number> = {
  bad_data: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  too_large: 413,
  internal: 500,
  unavailable: 503,
  timeout: 504,
};

export interface SuccessEnvelope<T> {
  status: 'success';
  data: T;
  warnings?: string[];
}

export interface ErrorEnvelope {
  status: 'error';
  errorType: ErrorType;
  error: string;
  warnings?: string[];
}

/** An error an API handler throws to answer with a given error type. */
export class ApiError extends Error {
  readonly errorType: ErrorType;
  constructor(errorType: ErrorType, message: string) {
    super(message);
    this.name = 'ApiError';
    this.errorType = errorType;
  }
}

export function httpStatusOf(t: ErrorType): number {
  return httpStatus[t];
}

export function sendData<T>(res: Response, data: T, warnings?: readonly string[]): void {
  const body: SuccessEnvelope<T> = { status: 'success', data };
  if (warnings && warnings.length > 0) body.warnings = [...warnings];
  res.status(200).json(body);
}

export function sendError(res: Response, errorType: ErrorType, message: string): void {
  const body: ErrorEnvelope = { status: 'error', errorType, error: message };
  res.status(httpStatus[errorType]).json(body);
}
