/** A URA region, as the tile map of planning areas draws it. */
export interface TileRegion {
  code: 'CR' | 'ER' | 'NR' | 'NER' | 'WR'
  name: string
  /** Where its block sits among the others, west to east and north to south. */
  row: number
  col: number
}

/** A planning area's tile, placed within its region's block roughly as it lies on the ground. */
export interface PlanningAreaTile {
  code: string
  name: string
  region: TileRegion['code']
  row: number
  col: number
}

/** The five regions, their blocks laid out as the island is: north above, west at the left. */
export const TILE_REGIONS: readonly TileRegion[] = [
  { code: 'NR', name: 'North Region', row: 0, col: 1 },
  { code: 'NER', name: 'North-East Region', row: 0, col: 2 },
  { code: 'WR', name: 'West Region', row: 1, col: 0 },
  { code: 'CR', name: 'Central Region', row: 1, col: 1 },
  { code: 'ER', name: 'East Region', row: 1, col: 2 },
]

// The 55 URA Master Plan 2019 planning areas of reference/planning-areas.ts (the portal may not
// import it), each region's tiles placed by their representative point: north to south in rows,
// west to east within a row. answer-chart.test.tsx checks them against the platform's own data.
/** The 55 planning areas as tiles. */
export const PLANNING_AREA_TILES: readonly PlanningAreaTile[] = [
  { code: 'BT', name: 'Bukit Timah', region: 'CR', row: 0, col: 0 },
  { code: 'NV', name: 'Novena', region: 'CR', row: 0, col: 1 },
  { code: 'BS', name: 'Bishan', region: 'CR', row: 0, col: 2 },
  { code: 'TP', name: 'Toa Payoh', region: 'CR', row: 0, col: 3 },
  { code: 'KL', name: 'Kallang', region: 'CR', row: 0, col: 4 },
  { code: 'GL', name: 'Geylang', region: 'CR', row: 0, col: 5 },
  { code: 'TN', name: 'Tanglin', region: 'CR', row: 1, col: 0 },
  { code: 'OR', name: 'Orchard', region: 'CR', row: 1, col: 1 },
  { code: 'RV', name: 'River Valley', region: 'CR', row: 1, col: 2 },
  { code: 'NT', name: 'Newton', region: 'CR', row: 1, col: 3 },
  { code: 'RC', name: 'Rochor', region: 'CR', row: 1, col: 4 },
  { code: 'MP', name: 'Marine Parade', region: 'CR', row: 1, col: 5 },
  { code: 'QT', name: 'Queenstown', region: 'CR', row: 2, col: 0 },
  { code: 'SR', name: 'Singapore River', region: 'CR', row: 2, col: 1 },
  { code: 'OT', name: 'Outram', region: 'CR', row: 2, col: 2 },
  { code: 'MU', name: 'Museum', region: 'CR', row: 2, col: 3 },
  { code: 'DT', name: 'Downtown Core', region: 'CR', row: 2, col: 4 },
  { code: 'ME', name: 'Marina East', region: 'CR', row: 2, col: 5 },
  { code: 'BM', name: 'Bukit Merah', region: 'CR', row: 3, col: 0 },
  { code: 'SI', name: 'Southern Islands', region: 'CR', row: 3, col: 1 },
  { code: 'SV', name: 'Straits View', region: 'CR', row: 3, col: 2 },
  { code: 'MS', name: 'Marina South', region: 'CR', row: 3, col: 3 },
  { code: 'PL', name: 'Paya Lebar', region: 'ER', row: 0, col: 0 },
  { code: 'PR', name: 'Pasir Ris', region: 'ER', row: 0, col: 1 },
  { code: 'CH', name: 'Changi', region: 'ER', row: 0, col: 2 },
  { code: 'BD', name: 'Bedok', region: 'ER', row: 1, col: 0 },
  { code: 'TM', name: 'Tampines', region: 'ER', row: 1, col: 1 },
  { code: 'CB', name: 'Changi Bay', region: 'ER', row: 1, col: 2 },
  { code: 'LK', name: 'Lim Chu Kang', region: 'NR', row: 0, col: 0 },
  { code: 'WD', name: 'Woodlands', region: 'NR', row: 0, col: 1 },
  { code: 'SB', name: 'Sembawang', region: 'NR', row: 0, col: 2 },
  { code: 'SM', name: 'Simpang', region: 'NR', row: 0, col: 3 },
  { code: 'SK', name: 'Sungei Kadut', region: 'NR', row: 1, col: 0 },
  { code: 'CC', name: 'Central Water Catchment', region: 'NR', row: 1, col: 1 },
  { code: 'MD', name: 'Mandai', region: 'NR', row: 1, col: 2 },
  { code: 'YS', name: 'Yishun', region: 'NR', row: 1, col: 3 },
  { code: 'SL', name: 'Seletar', region: 'NER', row: 0, col: 0 },
  { code: 'SE', name: 'Sengkang', region: 'NER', row: 0, col: 1 },
  { code: 'PG', name: 'Punggol', region: 'NER', row: 0, col: 2 },
  { code: 'NE', name: 'North-Eastern Islands', region: 'NER', row: 0, col: 3 },
  { code: 'AM', name: 'Ang Mo Kio', region: 'NER', row: 1, col: 0 },
  { code: 'SG', name: 'Serangoon', region: 'NER', row: 1, col: 1 },
  { code: 'HG', name: 'Hougang', region: 'NER', row: 1, col: 2 },
  { code: 'WC', name: 'Western Water Catchment', region: 'WR', row: 0, col: 0 },
  { code: 'TH', name: 'Tengah', region: 'WR', row: 0, col: 1 },
  { code: 'CK', name: 'Choa Chu Kang', region: 'WR', row: 0, col: 2 },
  { code: 'BK', name: 'Bukit Batok', region: 'WR', row: 0, col: 3 },
  { code: 'BP', name: 'Bukit Panjang', region: 'WR', row: 0, col: 4 },
  { code: 'PN', name: 'Pioneer', region: 'WR', row: 1, col: 0 },
  { code: 'BL', name: 'Boon Lay', region: 'WR', row: 1, col: 1 },
  { code: 'JW', name: 'Jurong West', region: 'WR', row: 1, col: 2 },
  { code: 'JE', name: 'Jurong East', region: 'WR', row: 1, col: 3 },
  { code: 'CL', name: 'Clementi', region: 'WR', row: 1, col: 4 },
  { code: 'TS', name: 'Tuas', region: 'WR', row: 2, col: 0 },
  { code: 'WI', name: 'Western Islands', region: 'WR', row: 2, col: 1 },
]
