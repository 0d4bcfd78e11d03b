/** The server's default MAX_TEXT_CHARS. The API does not publish its configured limit yet, so
 * the counter shows this default; a server with another limit still answers with its own
 * message, which the page shows as a toast. */
export const MAX_TEXT_CHARS = 20_000;
/** The server's default MAX_BATCH_LINES (same caveat). */
export const MAX_BATCH_LINES = 100;
