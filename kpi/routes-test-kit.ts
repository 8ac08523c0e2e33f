import { useTestPlatform } from '../testing/index.js'

/** The fixture users the KPI API tests act as. */
const KPI_USERS = [
  'leader.mddi',
  'officer.moh',
  'officer.moe',
  'admin',
  'steward.dos',
  'steward.sla',
  'steward.govtech',
] as const
export type KpiUser = (typeof KPI_USERS)[number]

/** A KPI's value year by year, as `GET /api/kpis` lists it. */
export type Trend = { year: number; value: number; status: string }[]

/**
 * The platform for the KPI API tests, with every `KpiUser` signed in, a reader of its answers
 * (as leader.mddi unless told) and of one KPI's trend.
 */
export function useKpiApi() {
  const platform = useTestPlatform({ backend: 'pglite', signIn: KPI_USERS })
  const get = async <T>(path: string, who: KpiUser = 'leader.mddi') => {
    const res = await platform.app.request(path, { headers: platform.as[who] })
    return { status: res.status, body: (await res.json()) as { data: T } }
  }
  const trendOf = async (number: number) =>
    (await get<{ kpis: { number: number; trend: Trend }[] }>('/api/kpis')).body.data.kpis.find(
      (k) => k.number === number,
    )?.trend ?? []
  return { platform, get, trendOf }
}

/** `part` as a percentage of `whole`. */
export const pct = (part: number, whole: number) => (100 * part) / whole

/** The year of an ISO date (`2025-04-25`). */
export const yearOfDate = (day: string) => Number(day.slice(0, 4))
