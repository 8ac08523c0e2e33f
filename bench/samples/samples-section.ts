import type { BenchFigure, BenchSection } from '../report/bench-section.js'
import { groupedBarChart } from '../report/grouped-bar-chart.js'
import type { SampleComparison } from './sample-comparison.js'

/** The target: rows of the persons sample keeping planning area, or at worst region. */
export const TARGET_SHARE = 0.95

type Options = { k: number; scale: number; repeat: number; persons: string }

/**
 * The section of `npm run bench:samples`: a table of both generalisers per dataset, the verdict
 * on the persons target, what each coarsened, and charts of loss, geography kept and time.
 */
export async function samplesSection(
  comparisons: readonly SampleComparison[],
  options: Options,
): Promise<BenchSection> {
  const { k, scale } = options
  const persons = comparisons.filter((c) => c.label.startsWith(options.persons))
  return {
    id: 'samples',
    title: `Sample generaliser: old vs new (k = ${k}; persons also at scale ${scale})`,
    markdown: markdownOf(comparisons, persons, options),
    figures: figuresOf(comparisons, persons),
    charts: await chartsOf(comparisons, persons, options),
  }
}

const row = (cells: string[]) => `| ${cells.join(' | ')} |`

/** The tables, verdicts and notes of the section. */
function markdownOf(
  comparisons: readonly SampleComparison[],
  persons: readonly SampleComparison[],
  { k, repeat }: Options,
): string {
  const table = [
    row([
      'dataset',
      'rows drawn of the version',
      'information loss, old → new',
      'rows suppressed, old → new',
      'smallest class, old → new',
      'keep planning area, old → new',
      'keep planning area or region, old → new',
      'time old',
      'time new ÷ old',
    ]),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...comparisons.map((c) =>
      row([
        c.label,
        `${c.drawnRows.toLocaleString('en')} of ${c.versionRows.toLocaleString('en')}`,
        `${percent(c.old.loss)} → **${percent(c.new.loss)}**`,
        `${c.old.suppressedRows} → ${c.new.suppressedRows}`,
        `${c.old.smallestClass} → ${c.new.smallestClass}`,
        geography(c, 'planningArea'),
        geography(c, 'planningAreaOrRegion'),
        ms(c.old.ms),
        `${(c.new.ms / c.old.ms).toFixed(1)}×`,
      ]),
    ),
  ].join('\n')
  const levels = [
    row(['dataset', 'old generaliser coarsened', 'new generaliser coarsened']),
    row(['---', '---', '---']),
    ...comparisons.map((c) =>
      row([
        c.label,
        c.old.refused ?? (c.old.levels || 'nothing'),
        c.new.refused ?? (c.new.levels || 'nothing'),
      ]),
    ),
  ].join('\n')
  const verdicts = persons.map((c) => {
    const share = c.new.geography?.planningAreaOrRegion ?? 0
    const met = share >= TARGET_SHARE
    return `**Verdict (${c.label}, k = ${k}): target ${met ? 'met' : 'NOT met'}.** The new sample keeps planning area for ${percent(c.new.geography?.planningArea ?? 0)} of the ${c.drawnRows.toLocaleString('en')} drawn rows and planning area or region for ${percent(share)} (target ≥ ${percent(TARGET_SHARE)}); the old one ${percent(c.old.geography?.planningArea ?? 0)} and ${percent(c.old.geography?.planningAreaOrRegion ?? 0)}.`
  })
  const checked = comparisons.filter((c) => c.matchesPublished !== undefined)
  const matching = checked.filter((c) => c.matchesPublished).length
  const reported = comparisons.filter((c) => c.reportedLoss !== undefined)
  const agreeing = reported.filter(
    (c) => Math.abs((c.reportedLoss ?? 0) - c.new.loss) < 0.0005,
  ).length
  const regionless = comparisons
    .filter((c) => c.new.geography && !c.new.geography.hasRegionColumn)
    .map((c) => c.label)
  return [
    `Both generalisers over the same drawn rows of each version at k = ${k}: the old one (\`bench/samples/legacy-generaliser.ts\`, as before issue 20: declared quasi-identifiers only, ladders for the persons dataset alone, at most 2% of rows suppressed) and the new one (\`disclosure/\` \`planSample\` as \`makeSample\` runs it). **Information loss** is the same metric for both: the normalised certainty penalty over every column that is neither a measure nor masked (per cell, (original values the shown value could stand for − 1) ÷ (distinct values of the column in the drawn rows − 1); '*' and every cell of a suppressed row count 1). **Smallest class** is over the new generaliser's k-check columns, so an old value below ${k} is a combination the old sample let through. Shares of rows are of the drawn rows (suppressed rows keep nothing). Times are the median of ${repeat} whole samples each (draw, generalise, write), in turn in one process.`,
    '',
    table,
    '',
    ...verdicts.flatMap((v) => [v, '']),
    '### What each generaliser coarsened',
    '',
    levels,
    '',
    `The new generaliser's runs here chose what the product's own samples of these versions chose (same loss, suppression and levels) for ${matching} of ${checked.length} datasets, and the loss measured here equals the one its own report gives for ${agreeing} of ${reported.length}.`,
    ...(regionless.length > 0
      ? [
          '',
          `${regionless.join(', ')} have a planning area but no region column: there the geography hierarchy's level named 'region' shows no geography at all.`,
        ]
      : []),
  ].join('\n')
}

/** Charts of loss, geography kept and time. */
async function chartsOf(
  comparisons: readonly SampleComparison[],
  persons: readonly SampleComparison[],
  { k, scale, persons: slug }: Options,
) {
  const label = (c: SampleComparison) => c.label
  const scaleOf = (c: SampleComparison) => (c.label === slug ? 'scale 1' : `scale ${scale}`)
  return [
    {
      title: `Information loss of the sample, old vs new generaliser (%, k = ${k})`,
      svg: await groupedBarChart(
        `Information loss of the sample, old vs new generaliser (%, k = ${k})`,
        ['old generaliser', 'new generaliser'],
        comparisons.map((c) => ({ label: label(c), values: [c.old.loss * 100, c.new.loss * 100] })),
        { unit: '%', max: 100 },
      ),
    },
    {
      title: `Persons sample: rows keeping their geography (%, k = ${k})`,
      svg: await groupedBarChart(
        `Persons sample: rows keeping their geography (%, k = ${k})`,
        ['old generaliser', 'new generaliser'],
        persons.flatMap((c) => [
          {
            label: `${scaleOf(c)}: planning area`,
            values: [share(c.old, 'planningArea'), share(c.new, 'planningArea')],
          },
          {
            label: `${scaleOf(c)}: area or region`,
            values: [share(c.old, 'planningAreaOrRegion'), share(c.new, 'planningAreaOrRegion')],
          },
        ]),
        { unit: '%', max: 100, target: { value: TARGET_SHARE * 100, label: 'target 95%' } },
      ),
    },
    {
      title: 'Time of a whole sample, new ÷ old generaliser (×)',
      svg: await groupedBarChart(
        'Time of a whole sample, new ÷ old generaliser (×)',
        ['new ÷ old'],
        comparisons.map((c) => ({ label: label(c), values: [c.new.ms / c.old.ms] })),
        { unit: '×', target: { value: 1, label: 'as fast' }, colours: ['#0b4f8a'] },
      ),
    },
  ]
}

/** The summary's figures: the mean loss over the fixture samples, then the persons'. */
function figuresOf(
  comparisons: readonly SampleComparison[],
  persons: readonly SampleComparison[],
): BenchFigure[] {
  const key = (c: SampleComparison) =>
    c.label.replace(/ at scale (\S+)$/, '.scale$1').replaceAll(/[^a-z0-9.]+/gi, '_')
  // The summary keeps a few figures: the mean loss over the fixture samples, then the persons'.
  const fixtures = comparisons.filter((c) => !c.label.includes(' at scale '))
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1)
  const figures: BenchFigure[] = [
    {
      key: 'samples.fixtures.mean_loss',
      label: `samples: mean information loss of the ${fixtures.length} fixture samples (new)`,
      value: round(mean(fixtures.map((c) => c.new.loss)) * 100, 1),
      unit: '%',
      better: 'lower',
    },
    {
      key: 'samples.fixtures.mean_loss_old',
      label: `samples: mean information loss of the ${fixtures.length} fixture samples (old)`,
      value: round(mean(fixtures.map((c) => c.old.loss)) * 100, 1),
      unit: '%',
      better: 'none',
    },
    ...persons.flatMap((c): BenchFigure[] => [
      {
        key: `samples.${key(c)}.loss`,
        label: `samples: ${c.label}, information loss (new)`,
        value: round(c.new.loss * 100, 1),
        unit: '%',
        better: 'lower',
      },
      {
        key: `samples.${key(c)}.suppressed`,
        label: `samples: ${c.label}, rows suppressed (new)`,
        value: c.new.suppressedRows,
        unit: 'rows',
        better: 'lower',
      },
      {
        key: `samples.${key(c)}.time_ratio`,
        label: `samples: ${c.label}, time new ÷ old`,
        value: round(c.new.ms / c.old.ms, 2),
        unit: '×',
        better: 'lower',
      },
    ]),
  ]
  for (const c of persons)
    figures.push(
      {
        key: `samples.${key(c)}.planning_area`,
        label: `samples: ${c.label}, rows keeping planning area (new)`,
        value: share(c.new, 'planningArea'),
        unit: '%',
        better: 'higher',
      },
      {
        key: `samples.${key(c)}.area_or_region`,
        label: `samples: ${c.label}, rows keeping planning area or region (new, target ≥ 95%)`,
        value: share(c.new, 'planningAreaOrRegion'),
        unit: '%',
        better: 'higher',
      },
    )
  return figures
}

function geography(c: SampleComparison, which: 'planningArea' | 'planningAreaOrRegion') {
  if (!c.new.geography) return '—'
  if (which === 'planningAreaOrRegion' && !c.new.geography.hasRegionColumn)
    return 'no region column'
  return `${percent(c.old.geography?.[which] ?? 0)} → ${percent(c.new.geography[which])}`
}

function share(o: SampleComparison['old'], which: 'planningArea' | 'planningAreaOrRegion') {
  return round((o.geography?.[which] ?? 0) * 100, 1)
}

function round(value: number, digits: number) {
  return Number(value.toFixed(digits))
}

export function percent(value: number) {
  return `${(value * 100).toFixed(1)}%`
}

export function ms(value: number) {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`
}
