/** A postal sector (first two digits of a 6-digit postal code) and what is known of it. */
export interface PostalSector {
  sector: string
  /** The old postal district (01–28) the sector belongs to. */
  district: string
  /** Planning areas of HDB blocks observed in this sector, with their counts (may be empty). */
  planningAreas: readonly (readonly [code: string, hdbBlocks: number])[]
}

// Source: ../shared/DOMAIN.md §2.2 (URA sector list; observed MP2019 planning areas of a public
// HDB geocode sample). Sector 74 is not in the URA list and is treated as invalid.
const TABLE: readonly (readonly [string, string, PostalSector['planningAreas']])[] = [
  ['01', '01', []],
  ['02', '01', []],
  ['03', '01', []],
  ['04', '01', []],
  ['05', '01', [['OT', 10]]],
  ['06', '01', []],
  ['07', '02', []],
  [
    '08',
    '02',
    [
      ['BM', 21],
      ['OT', 15],
    ],
  ],
  ['09', '04', [['BM', 51]]],
  ['10', '04', [['BM', 62]]],
  ['11', '05', [['QT', 2]]],
  ['12', '05', [['CL', 201]]],
  ['13', '05', [['QT', 20]]],
  ['14', '03', [['QT', 157]]],
  ['15', '03', [['BM', 99]]],
  [
    '16',
    '03',
    [
      ['BM', 150],
      ['OT', 5],
    ],
  ],
  ['17', '06', []],
  [
    '18',
    '07',
    [
      ['RC', 11],
      ['DT', 2],
    ],
  ],
  ['19', '07', [['KL', 11]]],
  [
    '20',
    '08',
    [
      ['RC', 14],
      ['KL', 9],
    ],
  ],
  [
    '21',
    '08',
    [
      ['KL', 25],
      ['RC', 10],
    ],
  ],
  ['22', '09', []],
  ['23', '09', []],
  ['24', '10', []],
  ['25', '10', []],
  [
    '26',
    '10',
    [
      ['BT', 5],
      ['TN', 2],
    ],
  ],
  [
    '27',
    '10',
    [
      ['QT', 49],
      ['BT', 5],
    ],
  ],
  ['28', '11', []],
  ['29', '11', []],
  ['30', '11', [['NV', 1]]],
  ['31', '12', [['TP', 213]]],
  [
    '32',
    '12',
    [
      ['NV', 84],
      ['KL', 48],
    ],
  ],
  ['33', '12', [['KL', 50]]],
  ['34', '13', []],
  ['35', '13', [['TP', 44]]],
  [
    '36',
    '13',
    [
      ['TP', 20],
      ['GL', 3],
    ],
  ],
  ['37', '13', [['GL', 64]]],
  [
    '38',
    '14',
    [
      ['GL', 51],
      ['KL', 26],
    ],
  ],
  ['39', '14', [['GL', 28]]],
  ['40', '14', [['GL', 86]]],
  ['41', '14', [['BD', 56]]],
  ['42', '15', [['GL', 2]]],
  [
    '43',
    '15',
    [
      ['GL', 14],
      ['KL', 10],
    ],
  ],
  ['44', '15', [['MP', 54]]],
  ['45', '15', [['BD', 4]]],
  ['46', '16', [['BD', 304]]],
  ['47', '16', [['BD', 132]]],
  ['48', '16', []],
  ['49', '17', []],
  ['50', '17', [['CH', 4]]],
  ['51', '18', [['PR', 426]]],
  ['52', '18', [['TM', 743]]],
  [
    '53',
    '19',
    [
      ['HG', 560],
      ['SG', 8],
    ],
  ],
  ['54', '19', [['SE', 489]]],
  ['55', '19', [['SG', 221]]],
  ['56', '20', [['AM', 364]]],
  ['57', '20', [['BS', 228]]],
  ['58', '21', [['BT', 1]]],
  ['59', '21', [['BT', 18]]],
  ['60', '22', [['JE', 226]]],
  ['61', '22', [['JW', 86]]],
  ['62', '22', []],
  ['63', '22', []],
  ['64', '22', [['JW', 621]]],
  ['65', '23', [['BK', 353]]],
  ['66', '23', []],
  [
    '67',
    '23',
    [
      ['BP', 336],
      ['SK', 2],
    ],
  ],
  ['68', '23', [['CK', 514]]],
  ['69', '24', []],
  ['70', '24', []],
  ['71', '24', [['LK', 1]]],
  ['72', '25', []],
  ['73', '25', [['WD', 661]]],
  ['75', '27', [['SB', 201]]],
  ['76', '27', [['YS', 613]]],
  ['77', '26', []],
  ['78', '26', []],
  ['79', '28', [['SE', 105]]],
  ['80', '28', []],
  ['81', '17', []],
  ['82', '19', [['PG', 419]]],
]

/** The 81 valid postal sectors (01–82 except 74). */
export const POSTAL_SECTORS: readonly PostalSector[] = TABLE.map(([sector, district, areas]) => ({
  sector,
  district,
  planningAreas: areas,
}))

const BY_SECTOR = new Map(POSTAL_SECTORS.map((s) => [s.sector, s]))

/** The sector of a postal code if the code is six digits in a valid sector, else undefined. */
export function postalSectorOf(postal: string): PostalSector | undefined {
  return /^\d{6}$/.test(postal) ? BY_SECTOR.get(postal.slice(0, 2)) : undefined
}
