export { Controller, type ControllerOptions } from './controller.ts';
export { PortAllocator, freePort } from './ports.ts';
export { parseFunction, safeHash, type ParsedFunction } from './function-spec.ts';
export { parseCron, type CronSchedule } from './cron.ts';
export { MemoryLog } from './memory-log.ts';
export type { TriggerInvoke } from './cron-triggers.ts';
