/**
 * The one escaping function for text a person reads (terminal lines, CI logs, JUnit, Markdown):
 * file names and messages that carry them. A name may hold anything but `/` and NUL, and what a
 * terminal or a CI runner does with some characters is an attack: ESC starts terminal commands,
 * CR and LF start a new GitHub workflow command (`::add-mask::`), C1 controls act like ESC on
 * some terminals, and bidirectional overrides show a name other than the real one. Each such
 * character is written as `\xNN` or `\u{N}` instead; everything else is kept. JSON output
 * carries the exact name and does not pass through here.
 */

/**
 * C0 controls and DEL, C1 controls, the bidirectional marks, embeddings, overrides and isolates
 * (Unicode UAX #9: U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), the line and
 * paragraph separators, zero-width characters and the byte order mark, and lone surrogates.
 */
const UNSAFE = new RegExp(
  [
    '[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff\\ufff9-\\ufffb]',
    '[\\ud800-\\udbff](?![\\udc00-\\udfff])',
    '(?<![\\ud800-\\udbff])[\\udc00-\\udfff]',
  ].join('|'),
  'g',
);

/** `text` with every character a terminal or CI runner would act on written as an escape. */
export function humanName(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
