/** `/…/` in a word list is a regular expression rather than a literal word. */
export function isRegexItem(item: string): boolean {
  return item.length > 2 && item.startsWith('/') && item.endsWith('/');
}
