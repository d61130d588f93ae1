import { Box, render, Text, type Instance } from 'ink';

export interface ProgressProps {
  label: string;
  done: number;
  total: number;
  /** Shown after the percentage instead of `(done/total)`, e.g. rows, speed and time left. */
  detail?: string | undefined;
  /** Cells of the bar itself. */
  width?: number;
}

export function ProgressBar({ label, done, total, detail, width = 30 }: ProgressProps) {
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(ratio * width);
  return (
    <Box>
      <Text>{label} </Text>
      <Text color="green">{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(width - filled)}</Text>
      <Text>
        {' '}
        {Math.floor(ratio * 100)}% {detail ?? `(${done}/${total})`}
      </Text>
    </Box>
  );
}

export interface LiveProgress {
  update(done: number, total: number, detail?: string): void;
  /** Leaves the last frame on the screen. */
  stop(): void;
}

/** A live progress bar on the terminal, redrawn in place as `update` is called. */
export function startProgress(stdout: NodeJS.WriteStream, label: string): LiveProgress {
  let instance: Instance | undefined;
  return {
    update(done, total, detail) {
      const bar = <ProgressBar label={label} done={done} total={total} detail={detail} />;
      if (instance) instance.rerender(bar);
      else instance = render(bar, { stdout, patchConsole: false, exitOnCtrlC: false });
    },
    stop() {
      instance?.unmount();
      instance = undefined;
    },
  };
}
