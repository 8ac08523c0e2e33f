/**
 * @module bench
 * The benchmarks (`npm run bench`): one folder per benchmark, and report/ for the report they
 * share (tables, charts, comparison with the previous run). Its face is what the repository's
 * invariant tests check: the portal's bundle against its budget.
 */

export { INITIAL_JS_BUDGET_BYTES, measureBundle } from './bundle/bundle-size.js'
