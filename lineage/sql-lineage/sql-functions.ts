import type { Node } from './dependency.js'

/** DuckDB's aggregate functions: a column made through one is an AGGREGATION. */
export const AGGREGATES = new Set([
  'count',
  'count_star',
  'sum',
  'avg',
  'mean',
  'min',
  'max',
  'first',
  'last',
  'any_value',
  'arg_min',
  'arg_max',
  'min_by',
  'max_by',
  'list',
  'array_agg',
  'string_agg',
  'group_concat',
  'median',
  'mode',
  'quantile',
  'quantile_cont',
  'quantile_disc',
  'stddev',
  'stddev_pop',
  'stddev_samp',
  'variance',
  'var_pop',
  'var_samp',
  'bool_and',
  'bool_or',
  'approx_count_distinct',
  'approx_quantile',
  'histogram',
  'product',
  'bit_and',
  'bit_or',
  'bit_xor',
  'fsum',
  'sumkahan',
  'entropy',
  'kurtosis',
  'skewness',
  'corr',
  'covar_pop',
  'covar_samp',
  'regr_slope',
  'favg',
])
/** Functions whose output hides their input: a column made through one of them is masked. */
export const MASKING = new Set(['sha256', 'sha1', 'md5', 'md5_number', 'hash', 'sha512'])

/** Whether an expression aggregates (outside windows and subqueries, which aggregate apart). */
export function hasAggregate(expr: Node): boolean {
  if (!expr || typeof expr !== 'object') return false
  if (Array.isArray(expr)) return expr.some(hasAggregate)
  if (expr.class === 'WINDOW' || expr.class === 'SUBQUERY') return false
  if (expr.class === 'FUNCTION' && AGGREGATES.has(String(expr.function_name ?? '').toLowerCase()))
    return true
  return Object.entries(expr).some(
    ([key, value]) => key !== 'class' && typeof value === 'object' && hasAggregate(value),
  )
}
