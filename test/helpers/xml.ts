/**
 * A small XML 1.0 well-formedness checker for reporter tests: one root element, tags nest and
 * match, attributes are quoted and unique, `&` starts a valid reference, `<` never appears in
 * text or attribute values, and every character is allowed by section 2.2. Returns the
 * elements seen (name and attributes) so tests can look at them.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9._:]*/;
const ALLOWED = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

function decode(s: string, where: string): string {
  if (s.includes('<')) throw new Error(`'<' in ${where}`);
  return s.replace(/&([^;]*);?/g, (m, ref: string) => {
    if (!m.endsWith(';')) throw new Error(`unterminated reference in ${where}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (ref in named) return named[ref]!;
    const num = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(ref);
    if (!num) throw new Error(`bad reference &${ref}; in ${where}`);
    const cp = num[1]!.startsWith('x') ? parseInt(num[1]!.slice(1), 16) : Number(num[1]);
    const ch = String.fromCodePoint(cp);
    if (!ALLOWED.test(ch)) throw new Error(`reference to a forbidden character in ${where}`);
    return ch;
  });
}

export function checkXml(doc: string): XmlElement[] {
  if (!ALLOWED.test(doc)) throw new Error('forbidden character in the document');
  let i = 0;
  const stack: XmlElement[] = [];
  const all: XmlElement[] = [];
  let roots = 0;
  if (doc.startsWith('<?xml')) {
    i = doc.indexOf('?>');
    if (i < 0) throw new Error('unterminated XML declaration');
    i += 2;
  }
  while (i < doc.length) {
    const lt = doc.indexOf('<', i);
    const text = doc.slice(i, lt < 0 ? doc.length : lt);
    if (stack.length === 0 && text.trim() !== '') throw new Error('text outside the root element');
    if (stack.length) stack[stack.length - 1]!.text += decode(text, 'text');
    if (lt < 0) break;
    const gt = doc.indexOf('>', lt);
    if (gt < 0) throw new Error('unterminated tag');
    let tag = doc.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const open = stack.pop();
      if (!open || open.name !== tag.slice(1).trim()) throw new Error(`</${tag.slice(1)}> does not match`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    if (selfClosing) tag = tag.slice(0, -1);
    const name = NAME.exec(tag)?.[0];
    if (!name) throw new Error(`bad tag <${tag}>`);
    let rest = tag.slice(name.length);
    const attrs: Record<string, string> = {};
    for (;;) {
      const m = /^\s+([A-Za-z_:][-A-Za-z0-9._:]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(rest);
      if (!m) break;
      if (m[1]! in attrs) throw new Error(`duplicate attribute ${m[1]}`);
      attrs[m[1]!] = decode(m[3] ?? m[4] ?? '', `attribute ${m[1]}`);
      rest = rest.slice(m[0].length);
    }
    if (rest.trim() !== '') throw new Error(`bad attributes in <${tag}>: ${JSON.stringify(rest)}`);
    if (stack.length === 0 && ++roots > 1) throw new Error('more than one root element');
    const el: XmlElement = { name, attrs, text: '' };
    all.push(el);
    if (!selfClosing) stack.push(el);
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (roots !== 1) throw new Error('no root element');
  return all;
}
