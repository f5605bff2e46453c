/**
 * exceljs's streaming writer by its own module: the report functions import only it (464 KB minified instead of
 * the 1.27 MB of the whole package with its readers and CSV; decision 061). Typed as the package types it.
 */
declare module 'exceljs/lib/stream/xlsx/workbook-writer.js' {
  import type { stream } from 'exceljs';
  const WorkbookWriter: typeof stream.xlsx.WorkbookWriter;
  export default WorkbookWriter;
}
