import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inspectionSubgraph } from '@measure-graph/inspection';
import { registrySubgraph } from '@measure-graph/registry';
import { ALL_SCOPES } from '@measure-graph/auth';
import { DOMAINS, domainNames, subgraphUrlVariable } from '@measure-graph/subgraph-platform';
import {
  print,
  type DefinitionNode,
  type DocumentNode,
  type EnumTypeDefinitionNode,
  type FieldDefinitionNode,
  type UnionTypeDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { supergraphPath } from '../src/compose.ts';
import { subgraphs } from '../src/subgraphs.ts';

// The kit's list of domains (subgraphs/kit/platform/src/domains.ts) drives every per-domain part outside the
// domains' folders: this checks each part against the list, without a database.

const supergraph = fs.readFileSync(supergraphPath, 'utf8');

const definitions = (doc: DocumentNode, name: string): DefinitionNode[] =>
  doc.definitions.filter((d) => 'name' in d && d.name?.value === name);

/** Every field of a type over its definition and extensions in a subgraph's SDL. */
const fieldsOf = (doc: DocumentNode, type: string): FieldDefinitionNode[] =>
  definitions(doc, type).flatMap((d) => ('fields' in d && d.fields ? [...(d.fields as FieldDefinitionNode[])] : []));

const implementsOf = (doc: DocumentNode, type: string): string[] =>
  definitions(doc, type).flatMap((d) =>
    'interfaces' in d && d.interfaces ? d.interfaces.map((i) => i.name.value) : [],
  );

describe('the list of domains', () => {
  it('has one folder with a subgraph per domain, and unique names, schemas, ports and prefixes', () => {
    for (const d of DOMAINS) {
      expect(fs.existsSync(fileURLToPath(new URL(`../../subgraphs/${d.name}/src/subgraph.ts`, import.meta.url)))).toBe(
        true,
      );
    }
    for (const key of ['name', 'enumValue', 'schema', 'typePrefix', 'dossierIdPrefix', 'defaultPort'] as const) {
      expect(new Set(DOMAINS.map((d) => d[key])).size, key).toBe(DOMAINS.length);
    }
    expect(DOMAINS.map((d) => d.defaultPort)).not.toContain(registrySubgraph.defaultPort);
  });

  it('gives the composition its subgraphs: the registry, then each domain with its schema and port', () => {
    expect(subgraphs.map((s) => [s.name, s.schema, s.defaultPort])).toEqual([
      ['registry', 'registry', 4001],
      ...DOMAINS.map((d) => [d.name, d.schema, d.defaultPort]),
    ]);
  });

  it("gives the supergraph's join__Graph every domain, from which the gateway takes its URL variables", () => {
    const graphs = [...supergraph.matchAll(/^ {2}(\w+) @join__graph\(name: "([^"]+)", url: "([^"]*)"\)/gm)].map((m) => [
      m[1],
      m[2],
      m[3],
    ]);
    for (const d of DOMAINS) {
      expect(graphs).toContainEqual([d.enumValue, d.name, `http://localhost:${d.defaultPort}/graphql`]);
      expect(subgraphUrlVariable(d.name)).toBe(`${d.enumValue}_URL`);
    }
    expect(graphs).toHaveLength(DOMAINS.length + 1);
  });

  it('gives the Domain enum its values, in the order of the list', () => {
    const domain = definitions(registrySubgraph.typeDefs, 'Domain') as EnumTypeDefinitionNode[];
    expect(domain.flatMap((d) => d.values?.map((v) => v.name.value) ?? [])).toEqual(DOMAINS.map((d) => d.enumValue));
  });

  it.each(DOMAINS.map((d) => [d.name, d] as const))(
    "%s: its types in the registry's SDL, timeline events in its @requires, a write scope",
    (_, d) => {
      const names = domainNames(d);
      const sdl = registrySubgraph.typeDefs;
      // Node in the registry, which owns Query.node (docs/architecture.md, "Relay").
      expect(implementsOf(sdl, names.measureType)).toEqual(['Measure', 'Node']);
      expect(implementsOf(sdl, names.dossierType)).toEqual(['Dossier', 'Node']);
      expect(implementsOf(sdl, names.normRowType)).toEqual(['NormResultRow']);
      for (const party of ['Person', 'Organisation']) {
        const fields = fieldsOf(sdl, party);
        const events = fields.find((f) => f.name.value === names.timelineEventsField);
        expect(events?.directives?.map((x) => x.name.value)).toEqual(['external']);
        const timeline = fields.find((f) => f.name.value === 'timeline');
        const requires = timeline?.directives?.find((x) => x.name.value === 'requires');
        expect(requires && print(requires)).toContain(`${names.timelineEventsField} {`);
      }
      expect(ALL_SCOPES).toContain(`${d.name}:write`);
    },
  );

  it("gives inspection the other domains' measure types and a union of every domain's", () => {
    const sdl = inspectionSubgraph.typeDefs;
    const union = definitions(sdl, 'InspectedMeasure') as UnionTypeDefinitionNode[];
    expect(union.flatMap((u) => u.types?.map((t) => t.name.value) ?? [])).toEqual(
      DOMAINS.map((d) => domainNames(d).measureType),
    );
    for (const d of DOMAINS) {
      const fields = fieldsOf(sdl, domainNames(d).measureType).map((f) => f.name.value);
      expect(fields, d.name).toContain('inspectionStats');
    }
  });

  it("gives every domain's measure type in the supergraph its own, the registry's and inspection's join", () => {
    for (const d of DOMAINS) {
      const type = new RegExp(
        `^type ${domainNames(d).measureType} implements Measure & Node\\n((?: {2}@.*\\n)+)`,
        'm',
      ).exec(supergraph);
      expect(type, d.name).not.toBeNull();
      for (const graph of new Set([d.enumValue, 'REGISTRY', 'INSPECTION'])) {
        expect(type![1]).toContain(`@join__type(graph: ${graph}, key: "code")`);
      }
    }
  });
});
