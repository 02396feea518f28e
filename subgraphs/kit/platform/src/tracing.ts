import { context, propagation, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import type { ApolloServerPlugin } from '@apollo/server';

/**
 * OpenTelemetry tracing, off unless switched on with the standard variables: an OTLP endpoint
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or OTEL_TRACES_EXPORTER=otlp.
 * The gateway's spans (request, plan, fetch per subgraph) come from @apollo/gateway itself; the
 * subgraphs add one span per request, joined to the gateway's through the traceparent header.
 */
export interface Tracing {
  shutdown(): Promise<void>;
}

export const tracingEnabled = (env: NodeJS.ProcessEnv): boolean =>
  Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) ||
  env.OTEL_TRACES_EXPORTER === 'otlp';

/**
 * Registers the process's tracer provider when tracing is on (or when a test hands in an exporter);
 * null otherwise, and then every span call stays a no-op.
 */
export function startTracing(
  serviceName: string,
  options: { env?: NodeJS.ProcessEnv; exporter?: SpanExporter } = {},
): Tracing | null {
  const env = options.env ?? process.env;
  if (!options.exporter && !tracingEnabled(env)) return null;
  const provider = new NodeTracerProvider({
    resource: new Resource({ 'service.name': env.OTEL_SERVICE_NAME || serviceName }),
    spanProcessors: [
      options.exporter ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(new OTLPTraceExporter()),
    ],
  });
  // W3C trace context propagation and an AsyncLocalStorage context manager.
  provider.register();
  return { shutdown: () => provider.shutdown() };
}

/** The trace context a caller sent (traceparent/tracestate headers), or the active one. */
export function extractTraceContext(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers, {
    get: (carrier, key) => {
      const value = carrier[key];
      return Array.isArray(value) ? value[0] : value;
    },
    keys: (carrier) => Object.keys(carrier),
  });
}

/** Adds the active trace context to outgoing headers (gateway -> subgraph). */
export function injectTraceContext(set: (key: string, value: string) => void): void {
  propagation.inject(context.active(), undefined, { set: (_carrier, key, value) => set(key, value) });
}

/** One span per subgraph request, a child of the gateway's fetch span when the gateway sent one. */
export function subgraphTracingPlugin(serviceName: string): ApolloServerPlugin {
  const tracer = trace.getTracer('measure-graph-subgraph');
  return {
    async requestDidStart({ request }) {
      const headers: Record<string, string> = {};
      for (const [key, value] of request.http?.headers ?? []) headers[key] = value;
      const span = tracer.startSpan(`${serviceName} request`, {}, extractTraceContext(headers));
      span.setAttribute('service.name', serviceName);
      return {
        async didResolveOperation({ operationName }) {
          if (operationName) span.setAttribute('graphql.operation.name', operationName);
        },
        async didEncounterErrors({ errors }) {
          span.setStatus({ code: SpanStatusCode.ERROR });
          for (const err of errors) span.addEvent('error', { code: String(err.extensions?.code ?? 'INTERNAL') });
        },
        async willSendResponse() {
          span.end();
        },
      };
    },
  };
}
