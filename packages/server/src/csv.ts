/** CSV as spreadsheets read it (exports and analytic data). */

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula
 * (starting with = + - @, tab or carriage return: OWASP's "CSV injection")
 * gets a leading single quote; a cell holding a comma, quote or line break
 * is quoted, quotes doubled.
 */
export function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
