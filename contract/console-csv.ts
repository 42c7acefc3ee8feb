/**
 * How a batch's CSV is read, the same by the API's mapping template (start-batch-csv.request.vtl)
 * and by `gde bulk` (cli/console-csv.ts), so that one file passes both or fails both.
 *
 * Files come from the GuardDuty console and from spreadsheet programs, which may write a UTF-8
 * byte-order mark, CRLF line ends, a trailing empty line and every field in double quotes
 * (RFC 4180 allows quoting any field). A valid account id or email contains no quote, comma or line
 * break, so quoting never needs to protect one: the reader drops one double quote and the spaces or
 * tabs next to each cell boundary (a comma, a line break, the start or end of the text) and then
 * splits plainly.
 */

/**
 * A cell boundary with the spaces and at most one double quote on each side; replace every match by
 * its group 1 (the comma or line break itself). Java (API Gateway) and JavaScript read it alike:
 * group 1 tries the comma and the line break before the zero-width `^` and `$`.
 */
export const CSV_CELL_BOUNDARY_PATTERN = '[ \\t]*"?[ \\t]*(,|\\r?\\n|^|$)[ \\t]*"?[ \\t]*';

/** A byte-order mark at the start of the text (spreadsheets' "CSV UTF-8" writes one). */
export const CSV_BYTE_ORDER_MARK_PATTERN = '^\\uFEFF';

/** Between two lines: the line break and any blank lines and spaces around it. */
export const CSV_LINE_BREAK_PATTERN = '\\s*\\n\\s*';
