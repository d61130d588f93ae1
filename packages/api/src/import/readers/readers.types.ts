import type { ImportCell, ImportFormat } from '@telecrm/core';

/** One row of a sheet or csv. */
export interface SheetRow {
  /** 1-based, as the user sees it: the spreadsheet row number, or the csv record number. */
  rowNumber: number;
  /** Indexed by column (column A = 0); a blank row has no cells. */
  cells: ImportCell[];
}

export interface ReaderLimits {
  /** Largest total unpacked size of an xlsx (zip-bomb cap). */
  maxUnpackedBytes: number;
  /** The LibreOffice command (`soffice`) used to convert legacy .xls; null when conversion is off. */
  soffice: string | null;
  /** Where temporary files (converted workbooks) go. */
  tmpDir: string;
}

export interface PreparedImportFile {
  /** The file to keep and read: the original, or the xlsx converted from a legacy xls. */
  path: string;
  /** The format the user gave (xls stays 'xls' even though `path` is then an xlsx). */
  format: ImportFormat;
  /** What `openImportRows` must read `path` as. */
  readAs: 'xlsx' | 'csv';
  /** Removes temporary files this step made (never the original). */
  cleanup(): Promise<void>;
}

export interface ImportRows {
  /** The csv encoding used (detected or chosen), null for xlsx. */
  encoding: string | null;
  /** The sheet read, null for csv. */
  sheet: string | null;
  /** All sheet names of a workbook, [] for csv. */
  sheets: string[];
  /** Size of the file on disk. */
  bytesTotal: number;
  /** Bytes of the file consumed so far, for progress; bytesTotal once rows() has been read to the end. */
  bytesRead(): number;
  /**
   * Every row from the first, in order, numbered without gaps: blank rows (and rows a sheet does not
   * store) between rows with content come as rows without cells; blank rows after the last row with
   * content are not yielded. Iterable once; streams, so memory stays flat with file size; breaking out
   * of the loop releases the file. A file damaged past the checks of `openImportRows` throws an Error.
   */
  rows(): AsyncIterable<SheetRow>;
}
