import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { SubgraphContext } from '../subgraph.ts';
import type { MeasureModuleLoaders } from './loaders.ts';

interface MeasureRef {
  code: string;
}

/**
 * Resolvers of a domain's measure type (e.g. ActivationMeasure). The registry decides the
 * concrete type of a measure, so the gateway only sends codes of this domain here; a code this
 * domain does not know resolves to null rather than to invented data.
 */
export function measureModuleResolvers<L extends MeasureModuleLoaders>(
  typeName: string,
): GraphQLResolverMap<SubgraphContext<L>> {
  return {
    [typeName]: {
      __resolveReference: async (ref: MeasureRef, { loaders }: SubgraphContext<L>) =>
        (await loaders.moduleExists.load(ref.code)) ? { code: ref.code } : null,
      norms: (measure: MeasureRef, _args: unknown, { loaders }: SubgraphContext<L>) =>
        loaders.normsByMeasure.load(measure.code),
    },
  };
}
