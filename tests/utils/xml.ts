export type XmlElement = { name: string; attributes: Record<string, string>; children: XmlElement[]; text: string };

function decodeEntities(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|apos);/g,
    (_, entity: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[entity] ?? "",
  );
}

// Everything outside XML 1.0's Char production: C0 controls but tab and line ends, lone surrogates, U+FFFE/U+FFFF.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const UNESCAPED_AMPERSAND = /&(?!(amp|lt|gt|quot|apos);)/;

/**
 * Just enough of an XML reader for the builder's own output (no comments, CDATA or self-closing
 * tags), strict enough to fail on unbalanced tags, unescaped markup characters and characters
 * XML 1.0 forbids (such as U+000B), any of which makes a receiver reject the whole document.
 */
export function parseXml(xml: string): XmlElement {
  const forbidden = NOT_XML_CHAR.exec(xml);
  if (forbidden)
    throw new Error(
      `character U+${forbidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} is not allowed in XML 1.0`,
    );
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, "");
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack = [root];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<>]*")*)\s*>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let position = 0;
  while (position < body.length && (match = tag.exec(body)) !== null) {
    position = tag.lastIndex;
    const [, closing, name, attributeText, text] = match;
    const current = stack.at(-1);
    if (!current) throw new Error("content after the root element");
    if (text !== undefined) {
      if (UNESCAPED_AMPERSAND.test(text) || text.includes(">")) throw new Error(`unescaped markup in text: ${text}`);
      current.text += decodeEntities(text);
    } else if (closing) {
      if (current.name !== name) throw new Error(`</${name}> closes <${current.name}>`);
      stack.pop();
    } else {
      const attributes: Record<string, string> = {};
      for (const [, key = "", value = ""] of (attributeText ?? "").matchAll(/([\w:.-]+)="([^"]*)"/g)) {
        if (UNESCAPED_AMPERSAND.test(value)) throw new Error(`unescaped markup in attribute ${key}: ${value}`);
        attributes[key] = decodeEntities(value);
      }
      const element: XmlElement = { name: name ?? "", attributes, children: [], text: "" };
      current.children.push(element);
      stack.push(element);
    }
  }
  if (position !== body.length) throw new Error(`not well-formed near: ${body.slice(position, position + 40)}`);
  if (stack.length !== 1 || root.children.length !== 1) throw new Error("unbalanced document");
  const [invoice] = root.children;
  if (!invoice) throw new Error("empty document");
  return invoice;
}

/** All elements at a slash-separated path below `from` (each step a qualified name). */
export function findAll(from: XmlElement, path: string): XmlElement[] {
  return path
    .split("/")
    .reduce<XmlElement[]>(
      (nodes, step) => nodes.flatMap((node) => node.children.filter((child) => child.name === step)),
      [from],
    );
}

export function one(from: XmlElement, path: string): XmlElement {
  const found = findAll(from, path);
  if (found.length !== 1) throw new Error(`expected one ${path}, found ${found.length}`);
  return found[0] as XmlElement;
}

export function textAt(from: XmlElement, path: string): string {
  return one(from, path).text.trim();
}
