import { Text, UnstyledButton, VisuallyHidden } from '@mantine/core'
import { Handle, type Node, type NodeProps, Position } from '@xyflow/react'
import type { CSSProperties, FocusEvent } from 'react'
import { NODE_HEIGHT, NODE_WIDTH } from './graph-layout.js'

/** What every node drawn in the graph knows: its name for screen readers and what to do. */
interface NodeBase extends Record<string, unknown> {
  /** Drawn fainter: a column is traced and does not flow through this node. */
  faded: boolean
  onActivate: () => void
  /** Brings the node into view when the keyboard reaches it. */
  onReveal: () => void
}

export interface EntityNodeData extends NodeBase {
  kind: 'DATASET' | 'JOB'
  name: string
  namespace: string
  /** The second line: a job's type and state, a dataset's namespace. */
  detail: string
  /** The full name, shown on hover. */
  title: string
  selected: boolean
  focus: boolean
  matched: boolean
}

export interface GroupNodeData extends NodeBase {
  /** The whole name, as read out: shown on hover. */
  label: string
  summary: string
  /** What follows the summary in the name: "more downstream of <anchor>". */
  more: string
}

export type EntityFlowNode = Node<EntityNodeData, 'entity'>
// Not 'group': React Flow styles its own group nodes by that class name.
export type GroupFlowNode = Node<GroupNodeData, 'fold'>
export type LineageFlowNode = EntityFlowNode | GroupFlowNode

// Edges need handles to attach to; nobody connects nodes here, so they are not drawn.
const quiet: CSSProperties = { opacity: 0, border: 0, pointerEvents: 'none' }
function Handles() {
  return (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} style={quiet} />
      <Handle type="source" position={Position.Right} isConnectable={false} style={quiet} />
    </>
  )
}

// React Flow lets pointers through a node it need not select or drag; the button takes them.
// `nopan`: a press on a node selects it rather than starting to move the view.
/** Moves a node the keyboard reached into view; a click's focus needs no move. */
const reveal = (event: FocusEvent<HTMLButtonElement>, data: NodeBase) => {
  if (event.currentTarget.matches(':focus-visible')) data.onReveal()
}

const box = {
  className: 'nopan',
  w: NODE_WIDTH,
  h: NODE_HEIGHT,
  px: 10,
  py: 4,
}

const fill = (data: EntityNodeData) =>
  data.faded
    ? 'var(--mantine-color-gray-0)'
    : data.kind === 'DATASET'
      ? 'var(--mantine-color-govBlue-0)'
      : '#fff6e0'

const stroke = (data: EntityNodeData) =>
  data.selected
    ? 'var(--mantine-color-govBlue-7)'
    : data.focus
      ? 'var(--mantine-color-green-8)'
      : data.matched
        ? '#bf5700'
        : data.faded
          ? 'var(--mantine-color-gray-4)'
          : '#8a959e'

/**
 * A dataset (rounded) or a job (square corners): a button that selects it, by click, Enter or
 * Space. The focus node has a green outline, the selection a blue one, a found node orange.
 */
export function EntityNode({ data }: NodeProps<EntityFlowNode>) {
  const strong = data.selected || data.focus || data.matched
  return (
    <>
      <Handles />
      <UnstyledButton
        {...box}
        aria-pressed={data.selected}
        title={data.title}
        data-faded={data.faded}
        onClick={data.onActivate}
        onFocus={(event) => reveal(event, data)}
        bg={fill(data)}
        style={{
          display: 'block',
          pointerEvents: 'all',
          border: `${strong ? 3 : 1}px solid ${stroke(data)}`,
          borderRadius: data.kind === 'DATASET' ? 14 : 3,
        }}
      >
        {/* Named by what it shows (WCAG 2.5.3): "Job <name> in <namespace>", the words around
            the visible name for screen readers only; a job's type and state are for the eye. */}
        <Text size="sm" fw={600} truncate lh={1.35} c={data.faded ? 'dimmed' : undefined}>
          <VisuallyHidden>{data.kind === 'JOB' ? 'Job' : 'Dataset'}</VisuallyHidden> {data.name}{' '}
          <VisuallyHidden>in {data.namespace}</VisuallyHidden>
        </Text>
        <Text size="xs" c="dimmed" truncate lh={1.35} aria-hidden>
          {data.detail}
        </Text>
      </UnstyledButton>
    </>
  )
}

/** Neighbours folded into one node: a button that shows them. */
export function GroupNode({ data }: NodeProps<GroupFlowNode>) {
  return (
    <>
      <Handles />
      <UnstyledButton
        {...box}
        title={data.label}
        data-faded={data.faded}
        onClick={data.onActivate}
        onFocus={(event) => reveal(event, data)}
        bg="gray.1"
        style={{
          display: 'block',
          pointerEvents: 'all',
          border: `1px dashed ${data.faded ? 'var(--mantine-color-gray-4)' : '#6b7580'}`,
          borderRadius: 8,
        }}
      >
        <Text size="sm" fw={600} truncate lh={1.35}>
          <VisuallyHidden>Show</VisuallyHidden> <span aria-hidden>+ </span>
          {data.summary} <VisuallyHidden>{data.more}</VisuallyHidden>
        </Text>
        <Text size="xs" c="dimmed" truncate lh={1.35} aria-hidden>
          folded · click to show
        </Text>
      </UnstyledButton>
    </>
  )
}

/** Stable between renders, as React Flow asks. */
export const nodeTypes = { entity: EntityNode, fold: GroupNode }
