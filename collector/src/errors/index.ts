export { ErrorGroups } from './error-groups.ts';
export type { ErrorGroupsOptions, ErrorGroupView, ErrorQuery } from './error-groups.ts';
export { SqliteGroupPersistence } from './persistence.ts';
export type { GroupPersistence } from './persistence.ts';
export { GROUP_LIMITS, statusOf, rateOf } from './group.ts';
export type { ErrorGroup, ErrorSample, GroupStatus } from './group.ts';
