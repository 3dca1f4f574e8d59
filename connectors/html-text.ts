/**
 * HTML → plain text for mention bodies (Hacker News comments, Mastodon statuses,
 * Reddit, RSS descriptions). Not a renderer: it keeps the words and the paragraph
 * breaks, drops markup, scripts and styles, and decodes entities.
 */

// Elements that end a line of text; their opening and closing tags both become breaks.
const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'table', 'tr', 'ul',
]);
// Elements whose content is not text a reader sees.
// Placeholders for block boundaries while tags are removed (control characters never seen in HTML text).
const LINE_EDGE = '\u0001';
const PARAGRAPH_EDGE = '\u0002';
const HIDDEN_CONTENT = /<(script|style|template|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ',
  hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', sbquo: '‚', bdquo: '„',
  laquo: '«', raquo: '»', bull: '•', middot: '·', copy: '©', reg: '®', trade: '™', deg: '°', euro: '€', pound: '£',
  yen: '¥', cent: '¢', sect: '§', para: '¶', times: '×', divide: '÷', plusmn: '±', frac12: '½', frac14: '¼', frac34: '¾',
  iexcl: '¡', iquest: '¿', shy: '', zwj: '\u200d', zwnj: '\u200c', ensp: ' ', emsp: ' ', thinsp: ' ',
  agrave: 'à', aacute: 'á', acirc: 'â', atilde: 'ã', auml: 'ä', aring: 'å', aelig: 'æ', ccedil: 'ç',
  egrave: 'è', eacute: 'é', ecirc: 'ê', euml: 'ë', igrave: 'ì', iacute: 'í', icirc: 'î', iuml: 'ï',
  ntilde: 'ñ', ograve: 'ò', oacute: 'ó', ocirc: 'ô', otilde: 'õ', ouml: 'ö', oslash: 'ø', ugrave: 'ù',
  uacute: 'ú', ucirc: 'û', uuml: 'ü', yacute: 'ý', yuml: 'ÿ', szlig: 'ß',
  Agrave: 'À', Aacute: 'Á', Acirc: 'Â', Atilde: 'Ã', Auml: 'Ä', Aring: 'Å', AElig: 'Æ', Ccedil: 'Ç',
  Egrave: 'È', Eacute: 'É', Ecirc: 'Ê', Euml: 'Ë', Igrave: 'Ì', Iacute: 'Í', Icirc: 'Î', Iuml: 'Ï',
  Ntilde: 'Ñ', Ograve: 'Ò', Oacute: 'Ó', Ocirc: 'Ô', Otilde: 'Õ', Ouml: 'Ö', Oslash: 'Ø', Ugrave: 'Ù',
  Uacute: 'Ú', Ucirc: 'Û', Uuml: 'Ü', Yacute: 'Ý',
};

function codePoint(value: number): string {
  // Invalid or surrogate code points, and NUL, become the replacement character, as browsers do.
  if (!Number.isFinite(value) || value <= 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(value);
}

/** Decodes named (the common ones), decimal and hexadecimal character references; unknown ones stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));?/g, (whole, decimal: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (decimal !== undefined) return codePoint(Number.parseInt(decimal, 10));
    if (hex !== undefined) return codePoint(Number.parseInt(hex, 16));
    if (name !== undefined && Object.hasOwn(NAMED_ENTITIES, name)) return NAMED_ENTITIES[name]!;
    return whole;
  });
}

/**
 * The text of an HTML fragment: tags removed, `<br>` a line break, block elements
 * (`<p>`, `<li>`, `<div>`…) separated by a blank line or line break, entities
 * decoded, runs of spaces collapsed, at most one blank line in a row, trimmed.
 */
export function htmlToText(html: string): string {
  const marked = html
    .replace(/[\u0001\u0002]/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_whole, inner: string) => inner.replace(/</g, '&lt;'))
    .replace(HIDDEN_CONTENT, ' ')
    // The source's own line breaks are just spaces in HTML, except inside <pre>, which is rare in mentions.
    .replace(/[\r\n\t\f]+/g, ' ')
    .replace(/<\/?([A-Za-z][A-Za-z0-9-]*)\b(?:[^>"']|"[^"]*"|'[^']*')*>/g, (_whole, tag: string) => {
      const name = tag.toLowerCase();
      if (name === 'br') return '\n';
      if (name === 'p' || name === 'blockquote' || /^h[1-6]$/.test(name)) return PARAGRAPH_EDGE;
      if (BLOCK_TAGS.has(name)) return LINE_EDGE;
      if (name === 'td' || name === 'th') return ' ';
      return '';
    })
    // Anything left that still looks like markup (<!DOCTYPE…>, <?xml…?>) goes; a lone "<" in text stays.
    .replace(/<[!?][^>]*>/g, '')
    // Adjacent block edges (`</li><li>`, `</p><p>`) make one break: a blank line if a paragraph is among them.
    .replace(/[ \u0001\u0002]*[\u0001\u0002][ \u0001\u0002]*/g, (edges) => (edges.includes(PARAGRAPH_EDGE) ? '\n\n' : '\n'));
  return decodeEntities(marked)
    .replace(/[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
