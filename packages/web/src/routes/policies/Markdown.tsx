import { Anchor, Blockquote, Code, Divider, List, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A small Markdown reader for the charter's text: headings, paragraphs, lists, quotes, rules,
 * bold, italics, code and links. It builds React elements, never HTML, so a charter cannot inject
 * markup or script into the page; links go only to http(s), mailto or a path of the portal (a
 * `javascript:` link would otherwise run in the signed-in user's session).
 */

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'quote'; text: string }
  | { kind: 'rule' };

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;
const RULE = /^\s*([-*_])(\s*\1){2,}\s*$/;

interface Pending {
  paragraph: string[];
  list: { ordered: boolean; items: string[] } | null;
  quote: string[];
}

export function parseBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  const open: Pending = { paragraph: [], list: null, quote: [] };
  const flush = () => {
    if (open.paragraph.length) blocks.push({ kind: 'paragraph', text: open.paragraph.join(' ') });
    if (open.list) blocks.push({ kind: 'list', ...open.list });
    if (open.quote.length) blocks.push({ kind: 'quote', text: open.quote.join(' ') });
    open.paragraph = [];
    open.list = null;
    open.quote = [];
  };
  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
      continue;
    }
    if (RULE.test(line)) {
      flush();
      blocks.push({ kind: 'rule' });
      continue;
    }
    const item = BULLET.exec(line) ?? NUMBERED.exec(line);
    if (item) {
      const ordered = !BULLET.test(line);
      if (!open.list || open.list.ordered !== ordered) {
        flush();
        open.list = { ordered, items: [] };
      }
      open.list.items.push(item[1]!);
      continue;
    }
    if (line.startsWith('>')) {
      if (!open.quote.length) flush();
      open.quote.push(line.replace(/^>\s?/, ''));
      continue;
    }
    if (open.list && /^\s+\S/.test(line)) {
      // An indented line continues the list item above it.
      const items = open.list.items;
      items[items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (open.list || open.quote.length) flush();
    open.paragraph.push(line.trim());
  }
  flush();
  return blocks;
}

/** Only these links are followed; anything else is shown as its text. */
export function safeHref(url: string): string | null {
  const value = url.trim();
  if (/^(https?:|mailto:)/i.test(value)) return value;
  if (value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')) return value;
  if (value.startsWith('#')) return value;
  return null;
}

const INLINE = /(\*\*|__)(.+?)\1|(\*|_)(?!\s)(.+?)(?<!\s)\3|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/;

export function inline(text: string, key = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let n = 0;
  while (rest.length > 0) {
    const m = INLINE.exec(rest);
    if (!m) {
      out.push(rest);
      break;
    }
    if (m.index > 0) out.push(rest.slice(0, m.index));
    const k = `${key}-${n++}`;
    if (m[2] !== undefined) out.push(<strong key={k}>{inline(m[2], k)}</strong>);
    else if (m[4] !== undefined) out.push(<em key={k}>{inline(m[4], k)}</em>);
    else if (m[5] !== undefined) out.push(<Code key={k}>{m[5]}</Code>);
    else if (m[6] !== undefined) {
      const href = safeHref(m[7] ?? '');
      out.push(
        href ? (
          <Anchor key={k} href={href} {...(/^https?:/i.test(href) ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
            {inline(m[6], k)}
          </Anchor>
        ) : (
          <span key={k}>{inline(m[6], k)}</span>
        ),
      );
    }
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

/**
 * The text rendered under the page's own heading: Markdown's `#` becomes a level below
 * `headingBase`, so the page keeps one h1 and its outline stays in order.
 */
export function Markdown({ source, headingBase = 1, lang }: { source: string; headingBase?: number; lang?: string }) {
  const blocks = parseBlocks(source);
  return (
    <div lang={lang} className="markdown">
      {blocks.map((b, i) => {
        switch (b.kind) {
          case 'heading': {
            const order = Math.min(6, b.level + headingBase) as 1 | 2 | 3 | 4 | 5 | 6;
            return (
              <Title key={i} order={order} size={order <= 2 ? 'h3' : 'h4'} mt="md" mb="xs">
                {inline(b.text, `h${i}`)}
              </Title>
            );
          }
          case 'paragraph':
            return (
              <Text key={i} mb="sm">
                {inline(b.text, `p${i}`)}
              </Text>
            );
          case 'list':
            return (
              <List key={i} type={b.ordered ? 'ordered' : 'unordered'} mb="sm" spacing={4}>
                {b.items.map((item, j) => (
                  <List.Item key={j}>{inline(item, `l${i}-${j}`)}</List.Item>
                ))}
              </List>
            );
          case 'quote':
            return (
              <Blockquote key={i} mb="sm" p="sm">
                {inline(b.text, `q${i}`)}
              </Blockquote>
            );
          case 'rule':
            return <Divider key={i} my="md" />;
        }
      })}
    </div>
  );
}
