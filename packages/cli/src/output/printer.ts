import type { Page } from '../client/api-client.js';
import type { Column, Field, Row } from './view-model.js';

/** Where output goes: stdout, with what a terminal tells us about itself. */
export interface OutputStream {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

export interface ListShape<T> {
  columns: readonly Column[];
  row(item: T): Row;
  /** Shown instead of an empty table. */
  empty: string;
  /** Shown under the table when the last page fetched has a next cursor. */
  more?(count: number, cursor: string): string;
}

/**
 * How results reach the user: a machine printer writes JSON lines and nothing else; a human printer
 * draws tables and key/value lists with Ink. Commands say what to show, never how.
 */
export interface Printer {
  readonly machine: boolean;
  /** A list: NDJSON of the raw items for machines (page by page, as they come), a table for people. */
  list<T>(pages: AsyncIterable<Page<T>>, shape: ListShape<T>): Promise<void>;
  /** One record: one JSON line for machines, a key/value list for people. */
  record<T>(value: T, fields: (value: T) => Field[]): Promise<void>;
  /** A finished action: `data` as one JSON line for machines (if any), the message for people. */
  done(message: string | readonly string[], data?: unknown): Promise<void>;
  /** A warning for people (in yellow, after what it warns about); machines never see it. */
  warn(message: string | readonly string[]): Promise<void>;
  /** A table for people that machines never see (they get `done`'s data instead). */
  table(columns: readonly Column[], rows: readonly Row[]): Promise<void>;
  /** A progress bar for people (drawn from the first update on); nothing for machines. */
  progress(label: string): Promise<Progress>;
}

export interface Progress {
  /** `detail` replaces the `(done/total)` after the percentage. */
  update(done: number, total: number, detail?: string): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { update() {}, stop() {} };

export function createPrinter(stdout: OutputStream, machine: boolean): Printer {
  return machine ? machinePrinter(stdout) : humanPrinter(stdout);
}

/** One JSON value per line, waiting for the pipe to drain so `--all` over many pages stays flat. */
async function writeLine(out: OutputStream, value: unknown): Promise<void> {
  if (!out.write(`${JSON.stringify(value)}\n`)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

export function machinePrinter(out: OutputStream): Printer {
  return {
    machine: true,
    async list(pages) {
      for await (const page of pages) for (const item of page.items) await writeLine(out, item);
    },
    async record(value) {
      await writeLine(out, value);
    },
    async done(_message, data) {
      if (data !== undefined) await writeLine(out, data);
    },
    async warn() {},
    async table() {},
    async progress() {
      return NO_PROGRESS;
    },
  };
}

export function humanPrinter(out: OutputStream): Printer {
  // Ink and React load only here, only on a terminal.
  const screens = () => import('../ui/screens.js');
  const target = { write: (text: string) => out.write(text), columns: out.columns };
  return {
    machine: false,
    async list(pages, shape) {
      const items = [];
      let cursor: string | null = null;
      for await (const page of pages) {
        items.push(...page.items);
        cursor = page.nextCursor;
      }
      const ui = await screens();
      if (items.length === 0) return ui.showMessage(target, shape.empty, 'info');
      const footer = cursor && shape.more ? shape.more(items.length, cursor) : undefined;
      ui.showTable(target, shape.columns, items.map((item) => shape.row(item)), footer);
    },
    async record(value, fields) {
      (await screens()).showRecord(target, fields(value));
    },
    async done(message) {
      (await screens()).showMessage(target, message);
    },
    async warn(message) {
      (await screens()).showMessage(target, message, 'warning');
    },
    async table(columns, rows) {
      (await screens()).showTable(target, columns, rows);
    },
    async progress(label) {
      const { startProgress } = await import('../ui/progress.js');
      // Only a real terminal stream gets here: the human printer is chosen when stdout is a TTY.
      return startProgress(out as unknown as NodeJS.WriteStream, label);
    },
  };
}
