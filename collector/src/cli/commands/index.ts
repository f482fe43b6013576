import type { Command } from '../command.ts';
import { topCommand } from './top.ts';
import { parseCommand } from './parse.ts';

/** Every fnscope subcommand, in the order --help lists them. One line per command. */
export const commands: readonly Command[] = [
  topCommand,
  parseCommand,
];
