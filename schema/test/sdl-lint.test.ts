import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printSchema, Supergraph } from '@apollo/federation-internals';
import { ESLint } from 'eslint';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { supergraphPath } from '../src/compose.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
// Not a file in the repository: `npm run lint` would fail on it. The path only selects the SDL
// rules of eslint.config.js (the block for SDL sources and test fixtures).
const fixturePath = path.join(repoRoot, 'schema/test/fixtures/lint-fixture.graphql');

/** The repository's own ESLint configuration, as `npm run lint` runs it. */
async function lintSdl(sdl: string) {
  const eslint = new ESLint({ cwd: repoRoot });
  const [result] = await eslint.lintText(sdl, { filePath: fixturePath });
  return result!.messages.map((m) => ({ rule: m.ruleId, line: m.line, message: m.message }));
}

const described = `
"A training course."
type Course {
  "Course code."
  code: ID!
  "Hours of teaching."
  hours(
    "Count only the hours of this school year, e.g. 2020-2021."
    schoolYear: String
  ): Int
  "Where it is taught."
  mode: TeachingMode
}

"How a course is taught."
enum TeachingMode {
  "In a classroom."
  CLASSROOM
  "Online."
  ONLINE
}

"Filters of courses."
input CourseFilter {
  "Only courses with at least these hours."
  minHours: Int
}
`;

describe('SDL lint (graphql-eslint in npm run lint)', () => {
  it('passes SDL with a description on every type, field, argument, enum value and input field', async () => {
    expect(await lintSdl(described)).toEqual([]);
  });

  it.each([
    ['a field', '  "Hours of teaching."\n  hours(', '  hours(', 'field "hours" in type "Course"'],
    [
      'an argument',
      '    "Count only the hours of this school year, e.g. 2020-2021."\n',
      '',
      'input value "schoolYear"',
    ],
    ['an enum value', '  "Online."\n  ONLINE', '  ONLINE', 'enum value "ONLINE"'],
    [
      'an input field',
      '  "Only courses with at least these hours."\n',
      '',
      'input value "minHours" in input "CourseFilter"',
    ],
    ['a type', '"How a course is taught."\n', '', 'enum "TeachingMode"'],
  ])('fails on %s without a description', async (_what, remove, replaceBy, named) => {
    expect(described).toContain(remove);
    const messages = await lintSdl(described.replace(remove, replaceBy));
    expect(messages).toHaveLength(1);
    expect(messages[0]!.rule).toBe('@graphql-eslint/require-description');
    expect(messages[0]!.message).toContain(named);
  });

  it('fails on names that break the conventions: PascalCase types, camelCase fields, UPPER_CASE enum values', async () => {
    const sdl = described
      .replace('type Course {', 'type course {')
      .replace('  mode:', '  teaching_mode:')
      .replace('CLASSROOM', 'Classroom');
    const messages = await lintSdl(sdl);
    expect(messages.map((m) => m.rule)).toEqual([
      '@graphql-eslint/naming-convention',
      '@graphql-eslint/naming-convention',
      '@graphql-eslint/naming-convention',
    ]);
    expect(messages.map((m) => m.message).join('\n')).toMatch(
      /"course".*PascalCase[\s\S]*"teaching_mode".*camelCase[\s\S]*"Classroom".*UPPER_CASE/,
    );
  });

  it('fails on a deprecation without a reason', async () => {
    const messages = await lintSdl(described.replace('  mode: TeachingMode', '  mode: TeachingMode @deprecated'));
    expect(messages).toEqual([expect.objectContaining({ rule: '@graphql-eslint/require-deprecation-reason' })]);
    expect(
      await lintSdl(
        described.replace('  mode: TeachingMode', '  mode: TeachingMode @deprecated(reason: "Use modes.")'),
      ),
    ).toEqual([]);
  });
});

describe('the public schema', () => {
  it('has a description on every type, field, argument, enum value and input field clients see', () => {
    // The API schema of the committed supergraph (compose:check keeps it current): what clients see,
    // without @inaccessible elements and federation's join__/link__ plumbing.
    const api = buildSchema(printSchema(Supergraph.build(fs.readFileSync(supergraphPath, 'utf8')).apiSchema()));
    const missing: string[] = [];
    const need = (coordinate: string, description: string | null | undefined) => {
      if (!description?.trim()) missing.push(coordinate);
    };
    for (const type of Object.values(api.getTypeMap())) {
      if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
      // A root operation type is a list of entry points: its fields carry the descriptions.
      if (![api.getQueryType(), api.getMutationType()].includes(type as never)) need(type.name, type.description);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          need(`${type.name}.${field.name}`, field.description);
          for (const arg of field.args) need(`${type.name}.${field.name}(${arg.name}:)`, arg.description);
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) need(`${type.name}.${field.name}`, field.description);
      } else if (isEnumType(type)) {
        for (const value of type.getValues()) need(`${type.name}.${value.name}`, value.description);
      }
    }
    expect(missing).toEqual([]);
  });
});
