import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { measureOperation, type QueryLimits } from './limits.ts';

const clientError = (message: string, code: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { ...extensions, code, http: { status: 400 } } });

/**
 * Checks the operation that will run, on every path into execution (a POSTed or GET document and
 * an automatic persisted query sent by hash alike): after validation and before planning, with
 * the schema's argument defaults and the request's variables coerced. The raw-text check of the
 * HTTP layer (http.ts) has already refused oversized or hostile documents before parsing for
 * validation; this one sees what that one cannot (defaults, persisted documents). Refusals are
 * counted and logged by the request plugin like every other error.
 */
export function operationGuard(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) {
            throw clientError(
              request.operationName
                ? `The document has no operation named "${request.operationName.slice(0, 100)}"`
                : 'The document has several operations: say which one to run with operationName',
              'OPERATION_RESOLUTION_FAILURE',
            );
          }
          const violation = measureOperation(document, operation, request.variables ?? {}, limits, schema);
          if (violation) {
            throw clientError(violation.message, violation.code, violation.field ? { field: violation.field } : {});
          }
        },
      };
    },
  };
}
