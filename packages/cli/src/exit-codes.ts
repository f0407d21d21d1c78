/** Process exit codes of the `sundial` command. */
export const EXIT_OK = 0;
/** Start-up or runtime failure (port in use, database unreachable, …). */
export const EXIT_FAILURE = 1;
/** Bad command line or bad configuration. */
export const EXIT_USAGE = 2;
