/**
 * Text for HTML element content and quoted attribute values: the five characters that can open
 * markup or end an attribute are replaced by character references (HTML Living Standard 13.1.4);
 * C0 controls other than tab, newline and carriage return are dropped, as HTML forbids them.
 */
export function escapeHtml(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * JSON that can sit inside a `<script type="application/json">` element: `<`, `>` and `&` are
 * written as \u escapes, so no file name can close the element (`</script>`) or open a comment,
 * and U+2028/U+2029 are escaped for older parsers. JSON.parse reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
