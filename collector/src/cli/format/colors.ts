/** ANSI colours for terminal output; a no-op palette when colour is off. */
export interface Palette {
  pod(name: string): (s: string) => string;
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const POD_COLORS = [36, 32, 35, 34, 33, 96, 92, 95, 94, 93];

function wrap(code: number | string): (s: string) => string {
  return (s) => `\x1b[${code}m${s}\x1b[0m`;
}

export function palette(enabled: boolean): Palette {
  if (!enabled) {
    const id = (s: string): string => s;
    return { pod: () => id, red: id, yellow: id, dim: id, bold: id };
  }
  return {
    pod(name) {
      let h = 0;
      for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) >>> 0;
      return wrap(POD_COLORS[h % POD_COLORS.length]!);
    },
    red: wrap('1;31'),
    yellow: wrap(33),
    dim: wrap(2),
    bold: wrap(1),
  };
}

/** Colour by default on a terminal, never with --no-color or NO_COLOR set (no-color.org). */
export function colorEnabled(stream: NodeJS.WritableStream, noColorFlag: boolean, env: NodeJS.ProcessEnv): boolean {
  if (noColorFlag || (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '')) return false;
  return (stream as NodeJS.WriteStream).isTTY === true;
}
