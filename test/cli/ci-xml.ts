// A small, strict XML reader for the JUnit tests: elements, attributes, text and
// the five predefined entities plus character references. It throws on anything
// malformed (unclosed or mismatched tags, a bare '&' or '<', duplicate attributes),
// so a test that parses a report back also proves the report is well-formed XML.

export interface XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  /** The text directly inside this element (entities decoded). */
  text: string;
}

const NAME_START = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === ':';
const NAME_CHAR = (c: string) => NAME_START(c) || (c >= '0' && c <= '9') || c === '-' || c === '.';
const SPACE = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\r';

export function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (what: string): never => {
    const line = src.slice(0, i).split('\n').length;
    throw new Error(`malformed XML at line ${line}: ${what}`);
  };
  const skipSpace = () => {
    while (SPACE(src[i])) i++;
  };
  const expectText = (s: string) => {
    if (!src.startsWith(s, i)) fail(`expected "${s}"`);
    i += s.length;
  };
  const name = (): string => {
    const start = i;
    if (i >= src.length || !NAME_START(src[i]!)) fail('expected a name');
    while (i < src.length && NAME_CHAR(src[i]!)) i++;
    return src.slice(start, i);
  };
  const decode = (raw: string): string => {
    let out = '';
    for (let j = 0; j < raw.length; j++) {
      const c = raw[j]!;
      if (c === '<') fail('"<" in text or attribute');
      if (c !== '&') {
        out += c;
        continue;
      }
      const end = raw.indexOf(';', j);
      if (end < 0) fail('unterminated entity');
      const ent = raw.slice(j + 1, end);
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (ent in named) out += named[ent];
      else if (ent.startsWith('#x')) out += String.fromCodePoint(parseInt(ent.slice(2), 16));
      else if (ent.startsWith('#')) out += String.fromCodePoint(parseInt(ent.slice(1), 10));
      else fail(`unknown entity &${ent};`);
      j = end;
    }
    return out;
  };
  const element = (): XmlElement => {
    expectText('<');
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const hadSpace = SPACE(src[i]);
      skipSpace();
      if (src.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (!hadSpace) fail('expected a space before an attribute');
      const key = name();
      if (key in el.attrs) fail(`duplicate attribute ${key}`);
      skipSpace();
      expectText('=');
      skipSpace();
      const quote = src[i];
      if (quote !== '"' && quote !== "'") fail('expected a quoted attribute value');
      const end = src.indexOf(quote!, i + 1);
      if (end < 0) fail('unterminated attribute value');
      el.attrs[key] = decode(src.slice(i + 1, end));
      i = end + 1;
    }
    for (;;) {
      const lt = src.indexOf('<', i);
      if (lt < 0) fail(`<${el.name}> is never closed`);
      el.text += decode(src.slice(i, lt));
      i = lt;
      if (src.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        skipSpace();
        expectText('>');
        return el;
      }
      if (src.startsWith('<![CDATA[', i)) {
        const end = src.indexOf(']]>', i);
        if (end < 0) fail('unterminated CDATA');
        el.text += src.slice(i + 9, end);
        i = end + 3;
        continue;
      }
      el.children.push(element());
    }
  };
  skipSpace();
  if (src.startsWith('<?xml', i)) {
    const end = src.indexOf('?>', i);
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== src.length) fail('content after the root element');
  return root;
}

/** The children of `el` named `name`. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}
