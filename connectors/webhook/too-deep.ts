const utf8 = new TextDecoder();

/**
 * Where a pushed body first nests deeper than `maxDepth` arrays and objects, as a field
 * name (`body.items[3]`, or `body` outside the items), or null when it does not. Read
 * from the raw bytes before any parsing: the structural characters of JSON are ASCII,
 * so UTF-8 needs no decoding here, and the body is never parsed deeper than allowed.
 */
export function tooDeepField(bytes: Uint8Array, maxDepth: number): string | null {
  const QUOTE = 0x22;
  const BACKSLASH = 0x5c;
  let depth = 0;
  let inString = false;
  let stringStart = -1;
  // The last string read at the top level of the body: the key of what follows it.
  let topLevelKey = '';
  let inItems = false;
  let itemIndex = 0;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) {
        inString = false;
        if (depth === 1) topLevelKey = utf8.decode(bytes.subarray(stringStart, index));
      }
      continue;
    }
    if (byte === QUOTE) {
      inString = true;
      stringStart = index + 1;
    } else if (byte === 0x7b || byte === 0x5b) {
      depth++;
      if (depth === 2 && byte === 0x5b && topLevelKey === 'items') {
        inItems = true;
        itemIndex = 0;
      }
      if (depth > maxDepth) return inItems ? `body.items[${itemIndex}]` : 'body';
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
      if (depth === 1) inItems = false;
    } else if (byte === 0x2c && depth === 2 && inItems) itemIndex++;
  }
  return null;
}
