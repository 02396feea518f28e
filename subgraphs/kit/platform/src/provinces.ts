/** The five Flemish provinces and Brussels: reference data of the registry. */
export const PROVINCES = [
  { code: 'ANT', name: 'Antwerpen' },
  { code: 'LIM', name: 'Limburg' },
  { code: 'OVL', name: 'Oost-Vlaanderen' },
  { code: 'VBR', name: 'Vlaams-Brabant' },
  { code: 'WVL', name: 'West-Vlaanderen' },
  { code: 'BRU', name: 'Brussels Hoofdstedelijk Gewest' },
] as const;
