import { Box, render, Text, type Instance } from 'ink';

export interface ProgressProps {
  label: string;
  done: number;
  total: number;
  /** Cells of the bar itself. */
  width?: number;
}

export function ProgressBar({ label, done, total, width = 30 }: ProgressProps) {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return (
    <Box>
      <Text>{label} </Text>
      <Text color="green">{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(width - filled)}</Text>
      <Text>
        {' '}
        {Math.floor(ratio * 100)}% ({done}/{total})
      </Text>
    </Box>
  );
}

export interface LiveProgress {
  update(done: number, total: number): void;
  /** Leaves the last frame on the screen. */
  stop(): void;
}

/** A live progress bar on the terminal, redrawn in place as `update` is called. */
export function startProgress(stdout: NodeJS.WriteStream, label: string): LiveProgress {
  let instance: Instance | undefined;
  return {
    update(done, total) {
      const bar = <ProgressBar label={label} done={done} total={total} />;
      if (instance) instance.rerender(bar);
      else instance = render(bar, { stdout, patchConsole: false, exitOnCtrlC: false });
    },
    stop() {
      instance?.unmount();
    },
  };
}
