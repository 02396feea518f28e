import { domainNames, measureTypeDescription, type DomainEntry } from '@measure-graph/subgraph-platform/domains';
import { sdlTemplate, type SdlPart } from '@measure-graph/subgraph-platform/sdl-parts';

/** SDL shared by every domain subgraph: the Measure interface part and the Norm type. */
export const measureModuleSdl = new URL('./measure-module.graphql', import.meta.url);

const domainTypesTemplate = new URL('./domain-types.graphql', import.meta.url);

/**
 * The domain's own measure, dossier, table-row and mutation types, from the shared template; the
 * part keeps the template's file and lines (filling in adds or removes none), so that composition
 * errors and the schema check point at the template.
 */
export function domainTypesSdl(
  entry: Pick<DomainEntry, 'name' | 'typePrefix' | 'dossierIdPrefix' | 'measureDescription'>,
): SdlPart {
  return sdlTemplate(domainTypesTemplate, (template) =>
    template
      .replaceAll('__Prefix__', entry.typePrefix)
      .replaceAll('__mutationField__', domainNames(entry).field)
      .replaceAll('__idPrefix__', entry.dossierIdPrefix)
      .replaceAll('__writeScope__', `${entry.name}:write`)
      .replaceAll('__domain__', entry.name)
      .replaceAll('__description__', measureTypeDescription(entry)),
  );
}
