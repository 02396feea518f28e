import fs from 'node:fs';
import { domainNames, type DomainEntry } from '@measure-graph/subgraph-platform/domains';

/** SDL shared by every domain subgraph: the Measure interface part and the Norm type. */
export const measureModuleSdl = new URL('./measure-module.graphql', import.meta.url);

const domainTypesTemplate = fs.readFileSync(new URL('./domain-types.graphql', import.meta.url), 'utf8');

/** The domain's own measure, dossier, table-row and mutation types, from the shared template. */
export function domainTypesSdl(
  entry: Pick<DomainEntry, 'name' | 'typePrefix' | 'dossierIdPrefix' | 'measureDescription'>,
): string {
  return domainTypesTemplate
    .replaceAll('__Prefix__', entry.typePrefix)
    .replaceAll('__mutationField__', domainNames(entry).field)
    .replaceAll('__idPrefix__', entry.dossierIdPrefix)
    .replaceAll('__writeScope__', `${entry.name}:write`)
    .replaceAll('__domain__', entry.name)
    .replaceAll('__description__', entry.measureDescription);
}
