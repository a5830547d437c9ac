// Counts with thousands separators (23,456), as `toLocaleString('en-US')` writes them, without its first
// call's ~12 ms of ICU set-up in every audit. Integers only; anything else is left to toLocaleString.
export function thousands(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) out = (end > 3 ? ',' : '') + digits.slice(Math.max(0, end - 3), end) + out;
  return n < 0 || Object.is(n, -0) ? `-${out}` : out;
}
