import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionDetail as ServerDetail, TargetsView as ServerTargets } from '../../../collector/src/api/types.ts';
import type { ErrorGroupView as ServerGroup } from '../../../collector/src/errors/index.ts';
import type { TailRecord as ServerRecord } from '../../../collector/src/events/records.ts';
import type { InvokeResult as ServerInvoke } from '../../../collector/src/api/routes/invoke.ts';
import { ErrorGroups } from '../../../collector/src/errors/index.ts';
import { ManualClock } from '../../../collector/src/util/manual-clock.ts';
import { silentLogger } from '../../../collector/src/util/logger.ts';
import type { ErrorGroupView, FunctionDetail, InvokeResult, TailRecord, TargetsView } from '../../../collector/src/ui/app/wire.ts';
import { exception } from '../../support/records.ts';

// The UI's copies of the API shapes must accept what the collector sends: these assignments stop
// type-checking (npm run typecheck) when the two drift apart.
export const asUi = {
  detail: (d: ServerDetail): FunctionDetail => d,
  targets: (t: ServerTargets): TargetsView => t,
  group: (g: ServerGroup): ErrorGroupView => g,
  record: (r: ServerRecord): TailRecord => r,
  invoke: (r: ServerInvoke): InvokeResult => r,
};

test('an error group as the collector serves it reads as the UI expects', () => {
  const clock = new ManualClock(1_800_000_000_000);
  const groups = new ErrorGroups({ clock, logger: silentLogger() });
  groups.record(exception('KeyError', { frames: [{ file: '/kubeless/f.py', line: 3, function: 'search', inApp: true }] }));
  const g = asUi.group(JSON.parse(JSON.stringify(groups.get(groups.list({ limit: 1 })[0]!.id))) as ServerGroup);
  assert.equal(g.type, 'KeyError');
  assert.equal(g.status, 'new');
  assert.equal(g.samples?.[0]?.frames[0]?.inApp, true);
  assert.deepEqual(Object.keys(g.functions), ['default/bikesearch']);
  groups.close();
});
