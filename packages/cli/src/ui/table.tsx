import { Box, Text } from 'ink';
import { fitColumns, truncate } from '../output/text-width.js';
import type { Cell, Column, Row } from '../output/view-model.js';

const GAP = 2;

export interface TableProps {
  columns: readonly Column[];
  rows: readonly Row[];
  /** The terminal's width in cells. */
  width?: number | undefined;
}

/**
 * A header and one line per row. Widths are worked out here, not left to the layout engine, so that
 * a cut cell ends in `…` at the same place on every line, CJK text included; on a narrow terminal
 * only the columns marked `shrink` give up room.
 */
export function Table({ columns, rows, width = 100 }: TableProps) {
  const texts = columns.map((column) => [column.header, ...rows.map((row) => row[column.key]?.text ?? '')]);
  const widths = fitColumns(columns, texts, width, GAP);
  return (
    <Box flexDirection="column">
      <Box flexDirection="row">
        {columns.map((column, i) => (
          <Box key={column.key} width={widths[i]! + (i < columns.length - 1 ? GAP : 0)} flexShrink={0}>
            <CellText cell={{ text: column.header, bold: true, colour: 'cyan' }} maxWidth={widths[i]} />
          </Box>
        ))}
      </Box>
      {rows.map((row, r) => (
        <Box key={r} flexDirection="row">
          {columns.map((column, i) => (
            <Box key={column.key} width={widths[i]! + (i < columns.length - 1 ? GAP : 0)} flexShrink={0}>
              <CellText cell={row[column.key]} maxWidth={widths[i]} />
            </Box>
          ))}
        </Box>
      ))}
    </Box>
  );
}

export interface CellTextProps {
  cell: Cell | undefined;
  /** Cut to this many cells. */
  maxWidth?: number | undefined;
  wrap?: 'wrap' | 'truncate-end';
}

export function CellText({ cell, maxWidth, wrap = 'truncate-end' }: CellTextProps) {
  const text = cell?.text ?? '';
  // An empty Text has no height: a space keeps the line.
  const shown = text === '' ? ' ' : maxWidth === undefined ? text : truncate(text, maxWidth);
  return (
    <Text wrap={wrap} color={cell?.colour} dimColor={cell?.dim} bold={cell?.bold}>
      {shown}
    </Text>
  );
}
