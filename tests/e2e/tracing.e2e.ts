import { randomBytes } from 'node:crypto';
import { startTracing, type Tracing } from '@measure-graph/subgraph-platform';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

/** OpenTelemetry switched on (spans kept in memory): one trace from the caller to every subgraph. */
const exporter = new InMemorySpanExporter();
let tracing: Tracing | null;
let graph: TestStack;
beforeAll(async () => {
  tracing = startTracing('measure-graph-test', { exporter });
  graph = await startTestStack();
}, 300_000);
afterAll(async () => {
  await graph?.stop();
  await tracing?.shutdown();
});

describe('tracing', () => {
  it('joins the caller’s trace: gateway request, plan and fetches, and a span in each subgraph it called', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const res = await graph.post(JSON.stringify({ query: '{ measure(code: "VOP") { name norms { id } } }' }), {
      traceparent: `00-${traceId}-${callerSpan}-01`,
    });
    expect(res.errors).toBeUndefined();
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const named = (name: string) => spans.filter((s) => s.name === name);

    const [request] = named('gateway.request');
    expect(request!.parentSpanId).toBe(callerSpan);
    expect(named('gateway.plan')).toHaveLength(1);
    // The plan fetches every domain that could own the measure's norms; only VOP's domain is called.
    const fetchOf = new Map(named('gateway.fetch').map((s) => [s.attributes.service, s.spanContext().spanId]));
    expect([...fetchOf.keys()].sort()).toEqual([
      'activation',
      'competences',
      'inspection',
      'registry',
      'social-economy',
    ]);
    for (const subgraph of ['registry', 'activation']) {
      const [span] = named(`${subgraph} request`);
      expect(span, `${subgraph} span`).toBeDefined();
      expect(span!.parentSpanId).toBe(fetchOf.get(subgraph));
    }
    for (const idle of ['competences', 'inspection', 'social-economy']) expect(named(`${idle} request`)).toEqual([]);
  });

  it('records a failed field as an error on the subgraph span', async () => {
    const traceId = randomBytes(16).toString('hex');
    await graph.post(JSON.stringify({ query: '{ measure(code: "VOP") { dossiers(first: 1) { totalCount } } }' }), {
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      authorization: '',
    });
    const [span] = exporter
      .getFinishedSpans()
      .filter((s) => s.spanContext().traceId === traceId && s.name === 'activation request');
    expect(span!.status.code).toBe(2); // SpanStatusCode.ERROR
    expect(span!.events.map((e) => e.attributes?.code)).toEqual(['UNAUTHENTICATED']);
  });
});
