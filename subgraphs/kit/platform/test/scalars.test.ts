import { describe, expect, it } from 'vitest';
import { buildSchema, graphql, type GraphQLSchema } from 'graphql';
import {
  DateScalar,
  DateTimeScalar,
  DecimalScalar,
  SCALARS_SDL,
  ShareScalar,
  brusselsLocalToInstant,
  formatBrussels,
  scalarResolvers,
} from '../src/scalars.ts';
import { refusedVariablePath } from '../src/subgraph.ts';

/** A schema that echoes each scalar back, so parseLiteral, parseValue and serialize run as in a subgraph. */
function echoSchema(): GraphQLSchema {
  const schema = buildSchema(`${SCALARS_SDL}
    type Query {
      date(v: Date!): Date
      dateTime(v: DateTime!): DateTime
      decimal(v: Decimal!): Decimal
      share(v: Share!): Share
    }`);
  for (const [name, scalar] of Object.entries(scalarResolvers)) {
    Object.assign(schema.getType(name)!, {
      serialize: scalar.serialize,
      parseValue: scalar.parseValue,
      parseLiteral: scalar.parseLiteral,
    });
  }
  return schema;
}

const schema = echoSchema();
const rootValue = {
  date: ({ v }: { v: string }) => v,
  dateTime: ({ v }: { v: string }) => v,
  decimal: ({ v }: { v: string }) => v,
  share: ({ v }: { v: number }) => v,
};
const run = (source: string, variableValues?: Record<string, unknown>) =>
  graphql({ schema, source, rootValue, variableValues });

describe('Date', () => {
  it('takes real calendar days, leap days of leap years included', async () => {
    expect((await run('{ date(v: "2024-02-29") }')).data).toEqual({ date: '2024-02-29' });
    expect((await run('query($v: Date!) { date(v: $v) }', { v: '2020-12-31' })).data).toEqual({ date: '2020-12-31' });
  });

  it.each(['2024-02-30', '2023-02-29', '2020-13-01', '2020-1-1', '2020-03-05T10:00:00+01:00', ''])(
    'refuses %j as a literal and as a variable with BAD_USER_INPUT',
    async (value) => {
      const literal = await run(`{ date(v: ${JSON.stringify(value)}) }`);
      expect(literal.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(literal.errors?.[0]?.message).toContain(value);
      const variable = await run('query($v: Date!) { date(v: $v) }', { v: value });
      expect(variable.errors?.[0]?.message).toContain('real calendar day');
    },
  );

  it('refuses a number', async () => {
    expect((await run('{ date(v: 20240229) }')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('DateTime', () => {
  it('outputs Belgian local times with the offset of that instant', () => {
    expect(DateTimeScalar.serialize('2020-03-05T10:00:00')).toBe('2020-03-05T10:00:00+01:00');
    expect(DateTimeScalar.serialize('2020-07-01T09:00:00')).toBe('2020-07-01T09:00:00+02:00');
    expect(DateTimeScalar.serialize('2020-07-01 09:00:00')).toBe('2020-07-01T09:00:00+02:00');
    // Instants with another offset are shown in Brussels time.
    expect(DateTimeScalar.serialize('2020-07-01T07:00:00Z')).toBe('2020-07-01T09:00:00+02:00');
    expect(DateTimeScalar.serialize(new Date('2020-01-15T23:30:00Z'))).toBe('2020-01-16T00:30:00+01:00');
  });

  it('changes offset at the DST transitions of March and October', () => {
    // 29 March 2020: clocks go from 02:00 (+01:00) to 03:00 (+02:00).
    expect(DateTimeScalar.serialize('2020-03-29T01:59:59')).toBe('2020-03-29T01:59:59+01:00');
    expect(DateTimeScalar.serialize('2020-03-29T03:00:00')).toBe('2020-03-29T03:00:00+02:00');
    // 02:30 does not exist that night: read with the winter offset, it is 03:30 summer time.
    expect(DateTimeScalar.serialize('2020-03-29T02:30:00')).toBe('2020-03-29T03:30:00+02:00');
    // 25 October 2020: 03:00 (+02:00) becomes 02:00 (+01:00); the repeated hour is taken in summer time.
    expect(DateTimeScalar.serialize('2020-10-25T01:30:00')).toBe('2020-10-25T01:30:00+02:00');
    expect(DateTimeScalar.serialize('2020-10-25T02:30:00')).toBe('2020-10-25T02:30:00+02:00');
    expect(DateTimeScalar.serialize('2020-10-25T03:00:00')).toBe('2020-10-25T03:00:00+01:00');
    expect(formatBrussels(Date.parse('2020-10-25T01:30:00Z'))).toBe('2020-10-25T02:30:00+01:00');
    expect(brusselsLocalToInstant('2020-10-25T02:30:00')).toBe(Date.parse('2020-10-25T00:30:00Z'));
  });

  it('reads inputs with an offset or Z as Belgian local time', async () => {
    expect(DateTimeScalar.parseValue('2020-03-05T10:00:00+01:00')).toBe('2020-03-05T10:00:00');
    expect(DateTimeScalar.parseValue('2020-07-01T07:00:00Z')).toBe('2020-07-01T09:00:00');
    expect(DateTimeScalar.parseValue('2020-07-01T09:00:00.250+02:00')).toBe('2020-07-01T09:00:00');
    const echoed = await run('{ dateTime(v: "2020-10-25T00:30:00Z") }');
    expect(echoed.data).toEqual({ dateTime: '2020-10-25T02:30:00+02:00' });
  });

  it('refuses a time without offset with a message that says so', async () => {
    const literal = await run('{ dateTime(v: "2020-03-05T10:00:00") }');
    expect(literal.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(literal.errors?.[0]?.message).toMatch(/must carry an offset or Z, e\.g\. 2020-03-05T10:00:00\+01:00/);
    const variable = await run('query($v: DateTime!) { dateTime(v: $v) }', { v: '2020-03-05T10:00' });
    expect(variable.errors?.[0]?.message).toMatch(/must carry an offset or Z/);
  });

  it.each(['2024-02-30T10:00:00+01:00', '2020-03-05T25:00:00Z', '2020-03-05', 'yesterday'])(
    'refuses %j',
    async (value) => {
      const result = await run(`{ dateTime(v: ${JSON.stringify(value)}) }`);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    },
  );
});

describe('Decimal', () => {
  it('keeps the digits exactly, on output and on input', async () => {
    expect(DecimalScalar.serialize('85935785.35')).toBe('85935785.35');
    expect(DecimalScalar.serialize(12n)).toBe('12');
    expect((await run('{ decimal(v: "12345678901234567890.12") }')).data).toEqual({
      decimal: '12345678901234567890.12',
    });
    expect((await run('query($v: Decimal!) { decimal(v: $v) }', { v: '0.10' })).data).toEqual({ decimal: '0.10' });
  });

  it('takes integers, as literals and as JSON numbers', async () => {
    expect((await run('{ decimal(v: 1250) }')).data).toEqual({ decimal: '1250' });
    expect((await run('query($v: Decimal!) { decimal(v: $v) }', { v: -3 })).data).toEqual({ decimal: '-3' });
  });

  it('refuses numbers with a fraction, which may already have lost digits', async () => {
    const literal = await run('{ decimal(v: 0.1) }');
    expect(literal.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(literal.errors?.[0]?.message).toContain('"0.1"');
    const variable = await run('query($v: Decimal!) { decimal(v: $v) }', { v: 1234.56 });
    expect(variable.errors?.[0]?.message).toMatch(/Decimal must be a string such as "1234.56"/);
  });

  it.each(['1,5', '1e3', '12.', '.5', 'NaN', '', ' 1'])('refuses %j', async (value) => {
    const result = await run(`{ decimal(v: ${JSON.stringify(value)}) }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('Share', () => {
  it('rounds to 4 decimal places on output', () => {
    expect(ShareScalar.serialize(3.9999999999999925)).toBe(4);
    expect(ShareScalar.serialize(0.923456)).toBe(0.9235);
    expect(ShareScalar.serialize(0.1 + 0.2)).toBe(0.3);
    expect(ShareScalar.serialize('0.87654321')).toBe(0.8765);
  });

  it('takes numbers as input and refuses strings', async () => {
    expect((await run('{ share(v: 0.9) }')).data).toEqual({ share: 0.9 });
    expect((await run('{ share(v: "0.9") }')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

it('a Date serialises days and refuses what is not one', () => {
  expect(DateScalar.serialize('2020-03-05')).toBe('2020-03-05');
  expect(() => DateScalar.serialize('2020-03-05T10:00:00')).toThrow();
});

describe('a refused variable names its field, like every other BAD_USER_INPUT', () => {
  it('reads the path of the refused value from graphql-js’s message, nested inputs and lists included', async () => {
    const schema = buildSchema(`${SCALARS_SDL}
      input Range { from: Date, days: [Date!] }
      type Query { count(range: Range, day: Date): Int }`);
    Object.assign(schema.getType('Date')!, { parseValue: DateScalar.parseValue });
    const refused = async (variables: Record<string, unknown>) => {
      const res = await graphql({
        schema,
        source: 'query ($range: Range, $day: Date) { count(range: $range, day: $day) }',
        variableValues: variables,
      });
      return refusedVariablePath(res.errors![0]!.message);
    };
    expect(await refused({ range: { from: '2024-02-30' } })).toBe('range.from');
    expect(await refused({ range: { days: ['2024-01-01', '2023-02-29'] } })).toBe('range.days[1]');
    expect(await refused({ day: '20-01-2020' })).toBe('day');
    // A command's input: its own field names, as the commands' other refusals give them.
    expect(
      refusedVariablePath('Variable "$input" got invalid value "2020-13-01" at "input.startsOn"; Date must be ...'),
    ).toBe('startsOn');
    expect(refusedVariablePath('Expected value of type "Date", found "2024-02-30".')).toBeNull();
  });
});
