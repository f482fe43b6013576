import type { Command } from '../command.ts';
import { serveCommand } from './serve.ts';
import { topCommand } from './top.ts';
import { logsCommand } from './logs.ts';
import { errorsCommand } from './errors.ts';
import { parseCommand } from './parse.ts';
import { sandboxCommand } from './sandbox.ts';
import { callCommand } from './call.ts';
import { dashboardsCommand } from './dashboards.ts';
import { alertsCommand } from './alerts.ts';

/** Every fnscope subcommand, in the order --help lists them. One line per command. */
export const commands: readonly Command[] = [
  serveCommand,
  topCommand,
  logsCommand,
  errorsCommand,
  parseCommand,
  sandboxCommand,
  callCommand,
  dashboardsCommand,
  alertsCommand,
];
