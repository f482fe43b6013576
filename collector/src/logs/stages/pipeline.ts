import type { LogLine, Stage } from '../types.ts';

/** Runs stages in order; a stage that returns null ends the line's way through the pipeline. */
export class StagePipeline implements Stage {
  readonly name = 'pipeline';
  readonly #stages: readonly Stage[];

  constructor(stages: readonly Stage[]) {
    this.#stages = stages.slice();
  }

  process(line: LogLine): LogLine | null {
    let current: LogLine | null = line;
    const stages = this.#stages;
    for (let i = 0; i < stages.length && current !== null; i++) current = stages[i]!.process(current);
    return current;
  }

  endStream(namespace: string, pod: string, container: string): void {
    for (const s of this.#stages) s.endStream?.(namespace, pod, container);
  }
}
