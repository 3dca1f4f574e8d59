/**
 * A small, strict-enough XML reader for feeds: elements, attributes, text, CDATA,
 * comments, processing instructions, the five XML entities and character
 * references, and namespace prefixes resolved to their URIs. A DOCTYPE is skipped
 * and its entity declarations are never expanded (no entity-expansion attacks, no
 * external entities). Not a validating parser: it reads what feeds send.
 */

export interface XmlElement {
  /** The namespace URI, or '' for none. */
  ns: string;
  /** The local name, without prefix. */
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

export class XmlError extends Error {}

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?$/;
// Element nesting deeper than this is not a feed.
const MAX_DEPTH = 256;

function decode(text: string): string {
  return text.replace(/&(?:#(\d{1,8})|#x([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]*));/g, (whole, decimal: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (decimal !== undefined || hex !== undefined) {
      const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex!, 16);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    // HTML names such as &nbsp; are not XML; feeds that use them are kept readable as written.
    return name !== undefined && Object.hasOwn(XML_ENTITIES, name) ? XML_ENTITIES[name]! : whole;
  });
}

function parseAttributes(source: string, at: number): Record<string, string> {
  const attributes: Record<string, string> = {};
  const pattern = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  let rest = source;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(source)) !== null) {
    attributes[match[1]!] = decode(match[3] ?? match[4] ?? '');
    rest = rest.replace(match[0], '');
  }
  if (rest.trim() !== '') throw new XmlError(`malformed attributes near offset ${at}`);
  return attributes;
}

interface Open {
  qname: string;
  element: XmlElement;
  namespaces: Map<string, string>;
}

/** The document's root element; throws XmlError when the text is not well-formed enough to read. */
export function parseXml(text: string): XmlElement {
  const stack: Open[] = [];
  let root: XmlElement | null = null;
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const addText = (value: string) => {
    const top = stack.at(-1);
    if (top === undefined) {
      if (value.trim() !== '') throw new XmlError(`text outside the root element at offset ${position}`);
      return;
    }
    const last = top.element.children.at(-1);
    if (typeof last === 'string') top.element.children[top.element.children.length - 1] = last + value;
    else top.element.children.push(value);
  };

  const resolve = (qname: string, namespaces: Map<string, string>, isAttribute: boolean): { ns: string; name: string } => {
    const colon = qname.indexOf(':');
    if (colon === -1) return { ns: isAttribute ? '' : (namespaces.get('') ?? ''), name: qname };
    const prefix = qname.slice(0, colon);
    if (prefix === 'xml') return { ns: 'http://www.w3.org/XML/1998/namespace', name: qname.slice(colon + 1) };
    // An undeclared prefix keeps the prefix as its namespace, so `dc:creator` is still found in sloppy feeds.
    return { ns: namespaces.get(prefix) ?? prefix, name: qname.slice(colon + 1) };
  };

  while (position < text.length) {
    const lt = text.indexOf('<', position);
    if (lt === -1) {
      addText(decode(text.slice(position)));
      break;
    }
    if (lt > position) addText(decode(text.slice(position, lt)));
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end === -1) throw new XmlError('unterminated comment');
      position = end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end === -1) throw new XmlError('unterminated CDATA section');
      addText(text.slice(lt + 9, end));
      position = end + 3;
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end === -1) throw new XmlError('unterminated processing instruction');
      position = end + 2;
    } else if (text.startsWith('<!', lt)) {
      // <!DOCTYPE …> possibly with an internal subset in [ … ]: skipped, never expanded.
      const bracket = text.indexOf('[', lt);
      const close = text.indexOf('>', lt);
      if (close === -1) throw new XmlError('unterminated declaration');
      const end = bracket !== -1 && bracket < close ? text.indexOf(']', bracket) : -1;
      const after = end === -1 ? close : text.indexOf('>', end);
      if (after === -1) throw new XmlError('unterminated declaration');
      position = after + 1;
    } else if (text.startsWith('</', lt)) {
      const end = text.indexOf('>', lt);
      if (end === -1) throw new XmlError('unterminated end tag');
      const qname = text.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (open === undefined || open.qname !== qname) throw new XmlError(`</${qname}> does not close <${open?.qname ?? 'nothing'}>`);
      position = end + 1;
    } else {
      // A start tag; quoted attribute values may contain '>'.
      const tag = /^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(text.slice(lt, lt + 64 * 1024));
      if (tag === null || !NAME.test(tag[1]!)) throw new XmlError(`malformed start tag at offset ${lt}`);
      if (root !== null && stack.length === 0) throw new XmlError('more than one root element');
      if (stack.length >= MAX_DEPTH) throw new XmlError('elements nested too deep');
      const qname = tag[1]!;
      const rawAttributes = parseAttributes(tag[2] ?? '', lt);
      const namespaces = new Map(stack.at(-1)?.namespaces ?? []);
      for (const [name, value] of Object.entries(rawAttributes)) {
        if (name === 'xmlns') namespaces.set('', value);
        else if (name.startsWith('xmlns:')) namespaces.set(name.slice(6), value);
      }
      const attributes: Record<string, string> = {};
      for (const [name, value] of Object.entries(rawAttributes)) {
        if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
        // Attributes are looked up by local name (`href`, `rel`, `isPermaLink`); prefixed ones keep `ns|name`.
        const resolved = resolve(name, namespaces, true);
        attributes[resolved.ns === '' ? resolved.name : `${resolved.ns}|${resolved.name}`] = value;
      }
      const { ns, name } = resolve(qname, namespaces, false);
      const element: XmlElement = { ns, name, attributes, children: [] };
      const parent = stack.at(-1);
      if (parent !== undefined) parent.element.children.push(element);
      else root = element;
      if (tag[3] !== '/') stack.push({ qname, element, namespaces });
      position = lt + tag[0].length;
    }
  }
  if (stack.length > 0) throw new XmlError(`<${stack.at(-1)!.qname}> is never closed`);
  if (root === null) throw new XmlError('no root element');
  return root;
}

export function childElements(element: XmlElement, name?: string, ns?: string): XmlElement[] {
  return element.children.filter(
    (child): child is XmlElement => typeof child !== 'string' && (name === undefined || child.name === name) && (ns === undefined || child.ns === ns),
  );
}

export function firstChild(element: XmlElement, name: string, ns?: string): XmlElement | null {
  return childElements(element, name, ns)[0] ?? null;
}

/** All the text inside an element, markup dropped. */
export function textContent(node: XmlNode): string {
  return typeof node === 'string' ? node : node.children.map(textContent).join('');
}
