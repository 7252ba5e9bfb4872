/**
 * Text into GitHub-flavoured Markdown, escaped so that it reads as written: the report exports
 * (report.ts) and the bench export (bench/record.ts). No imports: the webview bundle reaches it too.
 */

/** Markdown's punctuation, escaped; an underscore inside a word (`fetch_all`) cannot mark emphasis, so it stays readable. */
const MARKDOWN_SPECIAL = /[\\`*[\]<>&~]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

/** Plain text: no emphasis, no HTML, no link in it takes effect. */
export function markdownText(text: string): string {
  return text.replace(MARKDOWN_SPECIAL, '\\$&');
}

/** A code span whose fence is longer than any run of backticks inside it. */
export function markdownCode(text: string): string {
  const fence = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const padding = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${padding}${text}${padding}${fence}`;
}

/** Markdown fit for one table cell: a pipe or a newline in it would break the row. */
export function markdownTableCell(markdown: string): string {
  return markdown.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
