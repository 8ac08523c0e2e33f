/**
 * The report as one standalone HTML page: the Markdown the bench scripts write (headings,
 * paragraphs, lists, tables, code, bold, links, images), with each chart's SVG inline in place of
 * its image. Small on purpose: the project has no Markdown library and needs no more than this.
 */
export function renderReportHtml(markdown: string, svgs: ReadonlyMap<string, string>): string {
  const title = /^# (.+)$/m.exec(markdown)?.[1] ?? 'Benchmark report'
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; color: #1b1b1b; margin: 0 auto; max-width: 72rem; padding: 1rem 2rem 3rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #c8c8c8; padding: 0.25rem 0.6rem; vertical-align: top; }
th { background: #eef2f6; }
td[style*="right"] { white-space: nowrap; }
code { background: #f3f3f3; padding: 0 0.2rem; border-radius: 3px; }
pre { background: #f3f3f3; padding: 0.75rem; overflow-x: auto; }
figure { margin: 1rem 0; }
figcaption { color: #4a4a4a; font-size: 0.9em; }
svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<main>
${markdownToHtml(markdown, svgs)}
</main>
</body>
</html>
`
}

/** Markdown blocks to HTML; an image alone in its paragraph becomes its inline SVG if known. */
export function markdownToHtml(markdown: string, svgs: ReadonlyMap<string, string>): string {
  const lines = markdown.split('\n')
  const html: string[] = []
  let i = 0
  const at = (n: number) => lines[n] ?? ''
  while (i < lines.length) {
    const line = at(i)
    if (line.trim() === '') {
      i++
    } else if (line.startsWith('```')) {
      const code: string[] = []
      for (i++; i < lines.length && !at(i).startsWith('```'); i++) code.push(at(i))
      i++
      html.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`)
    } else if (/^#{1,6} /.test(line)) {
      const level = line.indexOf(' ')
      html.push(`<h${level}>${inline(line.slice(level + 1))}</h${level}>`)
      i++
    } else if (line.startsWith('|') && isSeparator(at(i + 1))) {
      const align = cells(at(i + 1)).map((c) =>
        c.endsWith(':') ? (c.startsWith(':') ? 'center' : 'right') : undefined,
      )
      const cell = (tag: string, text: string, n: number) =>
        `<${tag}${align[n] ? ` style="text-align: ${align[n]}"` : ''}>${inline(text)}</${tag}>`
      const head = cells(line).map((c, n) => cell('th', c, n))
      const body: string[] = []
      for (i += 2; at(i).startsWith('|'); i++) {
        body.push(
          `<tr>${cells(at(i))
            .map((c, n) => cell('td', c, n))
            .join('')}</tr>`,
        )
      }
      html.push(
        `<table>\n<thead><tr>${head.join('')}</tr></thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`,
      )
    } else if (line.startsWith('- ')) {
      const items: string[] = []
      for (; at(i).startsWith('- '); i++) items.push(`<li>${inline(at(i).slice(2))}</li>`)
      html.push(`<ul>\n${items.join('\n')}\n</ul>`)
    } else {
      const text: string[] = []
      for (; i < lines.length && !startsBlock(i); i++) text.push(at(i))
      html.push(figure(text.join(' ').trim(), svgs) ?? `<p>${inline(text.join(' '))}</p>`)
    }
  }
  return html.join('\n')

  function startsBlock(n: number) {
    const l = at(n)
    return (
      l.trim() === '' ||
      l.startsWith('```') ||
      /^#{1,6} /.test(l) ||
      l.startsWith('- ') ||
      (l.startsWith('|') && isSeparator(at(n + 1)))
    )
  }
}

function figure(paragraph: string, svgs: ReadonlyMap<string, string>): string | undefined {
  const image = /^!\[([^\]]*)\]\(([^)\s]+)\)$/.exec(paragraph)
  const svg = image?.[2] === undefined ? undefined : svgs.get(image[2])
  if (!image || svg === undefined) return undefined
  const caption = escapeHtml(image[1] ?? '')
  const labelled = svg.replace(/<svg\b/, `<svg role="img" aria-label="${caption}"`).trim()
  return `<figure>\n${labelled}\n<figcaption>${caption}</figcaption>\n</figure>`
}

const isSeparator = (line: string) => /^\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(line)

/** A table row's cells, trimmed; `\|` is a pipe inside a cell. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replaceAll('\\|', '|'))
}

/** Inline Markdown: `code`, **bold**, images and links; everything else is escaped text. */
function inline(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, n) =>
      n % 2 === 1
        ? `<code>${escapeHtml(part.slice(1, -1))}</code>`
        : escapeHtml(part)
            .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (_, alt, src) =>
              isSafeUrl(src) ? `<img alt="${alt}" src="${src}">` : _,
            )
            .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label, href) =>
              isSafeUrl(href) ? `<a href="${href}">${label}</a>` : _,
            )
            .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>'),
    )
    .join('')
}

/** Relative paths and web addresses only: a report never links to `javascript:` and the like. */
const isSafeUrl = (url: string) => !/^[a-z][a-z0-9+.-]*:/i.test(url) || /^https?:/i.test(url)

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}
