export { demoFunctions, type DemoFunction } from './demo-functions.ts';
export {
  RUNTIME_IDS,
  findOnPath,
  runtimeFamily,
  runtimeLaunch,
  splitHandler,
  writeFunctionFiles,
  type LaunchContext,
  type RuntimeFamily,
  type RuntimeLaunch,
} from './launch.ts';
