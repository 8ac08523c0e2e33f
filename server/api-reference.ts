import type { OpenApiDocument } from './openapi.js'

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

/** Inline code spans (`…`) in our descriptions, escaped; nothing else of Markdown is needed. */
const prose = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>')

interface OperationView {
  summary: string
  description: string
  parameters: {
    name: string
    in: string
    required: boolean
    schema: SchemaView
    description?: string
  }[]
  requestBody?: { content: Record<string, { schema: unknown }> }
  responses: Record<string, { description: string }>
  security: unknown[]
}

/** The id of an operation's section, for the table of contents to link to. */
const anchorOf = (method: string, path: string) => `${method}-${path}`.replace(/[^a-z0-9]+/gi, '-')

const schemaText = (schema: unknown) => escapeHtml(JSON.stringify(schema, null, 2))

/** The parts of a JSON schema the reference page shows. */
interface SchemaView {
  type?: string
  enum?: unknown[]
  anyOf?: SchemaView[]
  items?: SchemaView
  default?: unknown
}

const typeOf = (s: SchemaView): string => {
  if (s.enum) return s.enum.map(String).join(' | ')
  if (s.anyOf) return s.anyOf.map(typeOf).join(' or ')
  if (s.type === 'array' && s.items) return `${typeOf(s.items)}[]`
  return s.type ?? 'any'
}

function parameterRow(p: OperationView['parameters'][number]): string {
  const type = typeOf(p.schema)
  const fallback = p.schema.default === undefined ? '' : ` (default ${String(p.schema.default)})`
  return `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${escapeHtml(type + fallback)}</td><td>${
    p.required ? 'yes' : 'no'
  }</td><td>${prose(p.description ?? '')}</td></tr>`
}

function operationHtml(method: string, path: string, op: OperationView): string {
  const params = op.parameters.length
    ? `<table><thead><tr><th>Parameter</th><th>In</th><th>Type</th><th>Required</th><th>Meaning</th></tr></thead><tbody>${op.parameters
        .map(parameterRow)
        .join('')}</tbody></table>`
    : ''
  const body = op.requestBody
    ? `<details><summary>Request body (JSON schema)</summary><pre>${schemaText(
        op.requestBody.content['application/json']?.schema,
      )}</pre></details>`
    : ''
  const responses = Object.entries(op.responses)
    .map(([status, r]) => `<li><b>${status}</b> ${escapeHtml(r.description)}</li>`)
    .join('')
  const id = anchorOf(method, path)
  return `<section class="op" id="${id}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${prose(op.summary)}</p>
${op.description
  .split('\n\n')
  .map((para) => `<p class="note">${prose(para)}</p>`)
  .join('')}
${params}${body}<ul class="responses">${responses}</ul></section>`
}

/** A readable, self-contained API reference rendered from the OpenAPI document (no scripts). */
export function apiReferenceHtml(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>()
  const toc = new Map<string, string[]>()
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const op = raw as OperationView & { tags: string[] }
      const tag = op.tags[0] ?? 'Other'
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(method, path, op)])
      const id = anchorOf(method, path)
      toc.set(tag, [
        ...(toc.get(tag) ?? []),
        `<li><a href="#${id}"><span class="method ${method}">${method.toUpperCase()}</span> ${escapeHtml(path)}</a></li>`,
      ])
    }
  }
  const sections = [...byTag.entries()]
    .map(([tag, ops]) => `<h2 id="${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops.join('\n')}`)
    .join('\n')
  const nav = [...toc.entries()]
    .map(([tag, items]) => `<h4>${escapeHtml(tag)}</h4><ul>${items.join('')}</ul>`)
    .join('')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;display:grid;grid-template-columns:300px 1fr}
nav{position:sticky;top:0;height:100vh;overflow:auto;padding:1rem;background:#f4f6f8;border-right:1px solid #dde}
nav ul{list-style:none;padding:0;margin:0 0 .5rem}nav a{color:inherit;text-decoration:none;font-size:13px}
main{padding:1.5rem 2rem;max-width:60rem}.op{border:1px solid #dde;border-radius:6px;padding:.25rem 1rem;margin:1rem 0}
.method{display:inline-block;min-width:3.5em;text-align:center;border-radius:4px;color:#fff;font-size:12px;font-weight:600;padding:1px 4px}
.get{background:#1f6feb}.post{background:#1a7f37}.patch{background:#9a6700}.note{color:#555}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #dde;padding:2px 8px;text-align:left;font-size:14px}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;font-size:12px}
</style></head>
<body><nav><b>${escapeHtml(doc.info.title)}</b><p><a href="/api/openapi.json">openapi.json</a> · v${escapeHtml(doc.info.version)}</p>${nav}</nav>
<main><h1>${escapeHtml(doc.info.title)}</h1><p>${prose(doc.info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json"><code>/api/openapi.json</code></a> (OpenAPI ${escapeHtml(doc.openapi)}).</p>
${sections}</main></body></html>`
}
