import { SaxesParser } from 'saxes';
import { ListFormatError } from './errors';

/** A collected XML element: local name, attributes, child elements and its own text. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/**
 * Streams an XML document and hands over, one at a time, the complete subtrees whose path (local
 * names from the root, `/`-joined) is in `paths`. Only one subtree lives in memory at a time, so
 * a 100+ MB SDN_ADVANCED.XML parses in bounded memory.
 */
export function streamSubtrees(chunks: Iterable<string>, paths: ReadonlySet<string>, onSubtree: (path: string, element: XmlElement) => void): void {
  const parser = new SaxesParser();
  const path: string[] = [];
  const open: XmlElement[] = [];
  let rootPath: string | undefined;
  let sawRoot = false;
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    path.push(name);
    sawRoot = true;
    if (rootPath === undefined) {
      const joined = path.join('/');
      if (!paths.has(joined)) return;
      rootPath = joined;
    }
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(tag.attributes as Record<string, string>)) attributes[localName(key)] = value;
    const element: XmlElement = { name, attributes, children: [], text: '' };
    open[open.length - 1]?.children.push(element);
    open.push(element);
  });
  parser.on('text', (text) => {
    const current = open[open.length - 1];
    if (current) current.text += text;
  });
  parser.on('cdata', (text) => {
    const current = open[open.length - 1];
    if (current) current.text += text;
  });
  parser.on('closetag', () => {
    if (rootPath !== undefined) {
      const element = open.pop()!;
      element.text = element.text.trim();
      if (open.length === 0) {
        onSubtree(rootPath, element);
        rootPath = undefined;
      }
    }
    path.pop();
  });
  try {
    for (const chunk of chunks) parser.write(chunk);
    parser.close();
  } catch (cause) {
    throw new ListFormatError(`the XML is not well-formed: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  if (!sawRoot) throw new ListFormatError('the XML document is empty');
}

/** Text in bounded pieces: saxes takes a large document in chunks as well as whole. */
export function* chunksOf(text: string, size = 1 << 20): Iterable<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

export const child = (element: XmlElement | undefined, name: string): XmlElement | undefined => element?.children.find((candidate) => candidate.name === name);
export const childrenOf = (element: XmlElement | undefined, name: string): XmlElement[] =>
  element?.children.filter((candidate) => candidate.name === name) ?? [];
export const textOf = (element: XmlElement | undefined, name: string): string | undefined => {
  const value = child(element, name)?.text;
  return value ? value : undefined;
};
/** Every descendant (depth first) with the given local name. */
export function descendants(element: XmlElement, name: string, found: XmlElement[] = []): XmlElement[] {
  for (const candidate of element.children) {
    if (candidate.name === name) found.push(candidate);
    descendants(candidate, name, found);
  }
  return found;
}
