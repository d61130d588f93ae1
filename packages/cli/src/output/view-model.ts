// What the screens show, as plain data: the formatters build it, the Ink components draw it.

/** Colours a cell may ask for (Ink / chalk colour names). */
export type CellColour = 'red' | 'yellow' | 'green' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'redBright' | 'yellowBright';

export interface Cell {
  text: string;
  colour?: CellColour | undefined;
  dim?: boolean | undefined;
  bold?: boolean | undefined;
}

export interface Column {
  key: string;
  header: string;
  /** Longer cells are cut with an ellipsis. */
  maxWidth?: number | undefined;
  /** Whether the column gives up room (cutting its cells) when the terminal is too narrow. */
  shrink?: boolean | undefined;
}

export type Row = Record<string, Cell>;

/** One line of a key/value view. */
export interface Field {
  label: string;
  value: Cell;
}
