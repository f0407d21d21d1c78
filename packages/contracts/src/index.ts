export { ERROR_CODES, ErrorResponse, type ErrorCode } from './errors.js';
export { HealthResponse, ReadyResponse } from './health.js';
