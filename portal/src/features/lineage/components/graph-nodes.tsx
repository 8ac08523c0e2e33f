import { Box, Text, UnstyledButton, VisuallyHidden } from '@mantine/core'
import { Handle, type Node, type NodeProps, Position } from '@xyflow/react'
import type { CSSProperties, FocusEvent, ReactNode } from 'react'
import { GRAPH_COLOURS } from './graph-colours.js'
import { NODE_HEIGHT, NODE_WIDTH, nodeHeight, ROW_HEIGHT } from './graph-layout.js'

/** What every node drawn in the graph knows: its name for screen readers and what to do. */
interface NodeBase extends Record<string, unknown> {
  /** Drawn fainter: a column is traced and does not flow through this node. */
  faded: boolean
  onActivate: () => void
  /** Brings the node into view when the keyboard reaches it. */
  onReveal: () => void
}

/** A traced column a node lists: `start` is the column being traced. */
export interface NodeRow {
  field: string
  start: boolean
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
  /** The traced columns it holds, each with a handle the column links attach to. */
  rows: readonly NodeRow[]
}

export interface GroupNodeData extends NodeBase {
  /** The whole name, as read out: shown on hover. */
  label: string
  summary: string
  /** What follows the summary in the name: "more downstream of <anchor>". */
  more: string
}

/** A dataset a traced column comes from that the graph does not hold (a reference table). */
export interface OutsideNodeData extends Record<string, unknown> {
  name: string
  namespace: string
  rows: readonly NodeRow[]
}

export type EntityFlowNode = Node<EntityNodeData, 'entity'>
// Not 'group': React Flow styles its own group nodes by that class name.
export type GroupFlowNode = Node<GroupNodeData, 'fold'>
export type OutsideFlowNode = Node<OutsideNodeData, 'outside'>
export type LineageFlowNode = EntityFlowNode | GroupFlowNode | OutsideFlowNode

/** The handle of a traced column's row: `in` where its inputs arrive, `out` where it leaves. */
export const rowHandleId = (side: 'in' | 'out', field: string) => `${side}:${field}`

/** Where a row's middle is, from the top of its node. */
// 1 px border, the button (NODE_HEIGHT - 2), the list's 3 px padding; each row 2 px apart.
export const rowMiddle = (index: number) =>
  NODE_HEIGHT + 2 + index * ROW_HEIGHT + (ROW_HEIGHT - 2) / 2

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

/** The traced columns a node holds, one row each, with the handles column links attach to. */
function Rows({ rows, label }: { rows: readonly NodeRow[]; label: string }) {
  if (rows.length === 0) return null
  return (
    <ul
      aria-label={label}
      style={{ listStyle: 'none', margin: 0, padding: '3px 6px', display: 'block' }}
    >
      {rows.map((row, index) => (
        <li
          key={row.field}
          data-column={row.field}
          style={{
            height: ROW_HEIGHT - 2,
            marginBottom: 2,
            boxSizing: 'border-box',
            display: 'flex',
            alignItems: 'center',
            padding: '0 6px',
            borderRadius: 4,
            fontSize: 14,
            fontWeight: row.start ? 700 : 500,
            color: row.start ? GRAPH_COLOURS.tracedText : GRAPH_COLOURS.text,
            background: row.start ? GRAPH_COLOURS.traced : GRAPH_COLOURS.rowFill,
            border: `1px solid ${GRAPH_COLOURS.traced}`,
            overflow: 'hidden',
            whiteSpace: 'nowrap',
            textOverflow: 'ellipsis',
          }}
        >
          {row.field}
          {row.start && <VisuallyHidden> (traced)</VisuallyHidden>}
          <Handle
            id={rowHandleId('in', row.field)}
            type="target"
            position={Position.Left}
            isConnectable={false}
            style={{ ...quiet, top: rowMiddle(index) }}
          />
          <Handle
            id={rowHandleId('out', row.field)}
            type="source"
            position={Position.Right}
            isConnectable={false}
            style={{ ...quiet, top: rowMiddle(index) }}
          />
        </li>
      ))}
    </ul>
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
    ? GRAPH_COLOURS.fadedFill
    : data.kind === 'DATASET'
      ? GRAPH_COLOURS.datasetFill
      : GRAPH_COLOURS.jobFill

const stroke = (data: EntityNodeData) =>
  data.selected
    ? 'var(--mantine-color-govBlue-7)'
    : data.focus
      ? 'var(--mantine-color-green-8)'
      : data.matched
        ? '#bf5700'
        : data.faded
          ? GRAPH_COLOURS.fadedBorder
          : GRAPH_COLOURS.border

/** The two lines every node shows: its name (16 px) and a detail (14 px), both at 12 px or more zoomed out. */
function Lines({ name, detail, faded }: { name: ReactNode; detail: string; faded: boolean }) {
  return (
    <>
      <Text
        fz={16}
        fw={600}
        truncate
        lh={1.35}
        c={faded ? GRAPH_COLOURS.dimmed : GRAPH_COLOURS.text}
      >
        {name}
      </Text>
      <Text fz={14} c={GRAPH_COLOURS.dimmed} truncate lh={1.35} aria-hidden>
        {detail}
      </Text>
    </>
  )
}

/**
 * A dataset (rounded) or a job (square corners): a button that selects it, by click, Enter or
 * Space. The focus node has a green outline, the selection a blue one, a found node orange.
 * A dataset a traced column flows through lists the traced columns below its name.
 */
export function EntityNode({ data }: NodeProps<EntityFlowNode>) {
  const strong = data.selected || data.focus || data.matched
  return (
    <Box
      w={NODE_WIDTH}
      h={nodeHeight(data.rows.length)}
      bg={fill(data)}
      style={{
        // A strong outline is a shadow, so the rows' handles stay where rowMiddle says.
        border: `1px solid ${stroke(data)}`,
        boxShadow: strong ? `0 0 0 2px ${stroke(data)}` : undefined,
        borderRadius: data.kind === 'DATASET' ? 14 : 3,
        boxSizing: 'border-box',
        overflow: 'hidden',
      }}
    >
      <Handles />
      <UnstyledButton
        {...box}
        w="100%"
        h={NODE_HEIGHT - 2}
        aria-pressed={data.selected}
        title={data.title}
        data-faded={data.faded}
        onClick={data.onActivate}
        onFocus={(event) => reveal(event, data)}
        style={{ display: 'block', pointerEvents: 'all' }}
      >
        {/* Named by what it shows (WCAG 2.5.3): "Job <name> in <namespace>", the words around
            the visible name for screen readers only; a job's type and state are for the eye. */}
        <Lines
          faded={data.faded}
          detail={data.detail}
          name={
            <>
              <VisuallyHidden>{data.kind === 'JOB' ? 'Job' : 'Dataset'}</VisuallyHidden> {data.name}{' '}
              <VisuallyHidden>in {data.namespace}</VisuallyHidden>
            </>
          }
        />
      </UnstyledButton>
      <Rows rows={data.rows} label={`Traced columns of ${data.name}`} />
    </Box>
  )
}

/** A source of a traced column that the graph does not hold: dashed, with the columns used. */
export function OutsideNode({ data }: NodeProps<OutsideFlowNode>) {
  return (
    <Box
      role="group"
      aria-label={`Outside the graph: ${data.name} in ${data.namespace}`}
      title={`${data.namespace} · ${data.name}: no run reports reading it, so it is not in the graph`}
      w={NODE_WIDTH}
      h={nodeHeight(data.rows.length)}
      bg={GRAPH_COLOURS.outsideFill}
      px={0}
      style={{
        border: `1px dashed ${GRAPH_COLOURS.border}`,
        borderRadius: 14,
        boxSizing: 'border-box',
        overflow: 'hidden',
      }}
    >
      <Handles />
      <Box h={NODE_HEIGHT - 2} px={10} py={4}>
        <Lines faded={false} name={data.name} detail={`outside the graph · ${data.namespace}`} />
      </Box>
      <Rows rows={data.rows} label={`Traced columns of ${data.name}`} />
    </Box>
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
        bg={GRAPH_COLOURS.groupFill}
        style={{
          display: 'block',
          pointerEvents: 'all',
          border: `1px dashed ${data.faded ? GRAPH_COLOURS.fadedBorder : GRAPH_COLOURS.border}`,
          borderRadius: 8,
        }}
      >
        <Lines
          faded={data.faded}
          detail="folded · click to show"
          name={
            <>
              <VisuallyHidden>Show</VisuallyHidden> <span aria-hidden>+ </span>
              {data.summary} <VisuallyHidden>{data.more}</VisuallyHidden>
            </>
          }
        />
      </UnstyledButton>
    </>
  )
}

/** Stable between renders, as React Flow asks. */
export const nodeTypes = { entity: EntityNode, fold: GroupNode, outside: OutsideNode }
