// The only module the human printer imports (lazily): it pulls in Ink and React.
import { Box, renderToString } from 'ink';
import type { ReactNode } from 'react';
import type { Column, Field, Row } from '../output/view-model.js';
import { Message, type Tone } from './message.js';
import { RecordView } from './record-view.js';
import { Table } from './table.js';

export interface ScreenTarget {
  write(text: string): unknown;
  columns?: number | undefined;
}

const width = (target: ScreenTarget): number => target.columns || 100;

const draw = (target: ScreenTarget, node: ReactNode): void => {
  target.write(`${renderToString(node, { columns: width(target) })}\n`);
};

export function showTable(target: ScreenTarget, columns: readonly Column[], rows: readonly Row[], footer?: string): void {
  draw(
    target,
    <Box flexDirection="column">
      <Table columns={columns} rows={rows} width={width(target)} />
      {footer ? <Message lines={[footer]} tone="info" /> : null}
    </Box>,
  );
}

export function showRecord(target: ScreenTarget, fields: readonly Field[]): void {
  draw(target, <RecordView fields={fields} />);
}

export function showMessage(target: ScreenTarget, lines: string | readonly string[], tone: Tone = 'success'): void {
  draw(target, <Message lines={typeof lines === 'string' ? [lines] : lines} tone={tone} />);
}
