/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "# View 3: the late dossiers (or payments) behind a measure's norm results of a year. Scope dossiers:read.\n# There is no root field for one norm: the view picks its norm from the measure's results.\nquery DashboardLateItems($code: ID!, $year: Int!, $first: Int!, $after: String) {\n  measure(code: $code) {\n    code\n    name\n    normResults(year: $year) {\n      norm {\n        id\n        label\n        thresholdDays\n        thresholdRule\n      }\n      counted\n      late\n      items(onTime: false, first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          startedAt\n          endedAt\n          dossier {\n            id\n            kind\n            status\n            receivedAt\n            applicant {\n              __typename\n              ... on Person {\n                id\n              }\n              ... on Organisation {\n                kboNumber\n                name\n              }\n            }\n          }\n          payment {\n            id\n            kind\n            amount\n          }\n        }\n      }\n    }\n  }\n}\n": typeof types.DashboardLateItemsDocument,
    "# View 2: a measure's card, public: its catalogue data, norm results and volumes of the chosen year.\nquery DashboardMeasureCard($code: ID!, $year: Int!) {\n  measure(code: $code) {\n    code\n    name\n    domain\n    status\n    reportSection\n    normResults(year: $year) {\n      norm {\n        id\n        label\n      }\n      target\n      result\n      met\n      counted\n      late\n    }\n    volumes(year: $year) {\n      id\n      label\n      metric\n      unit\n      value\n    }\n  }\n}\n": typeof types.DashboardMeasureCardDocument,
    "# View 2, the trend: one year of a measure's volumes, asked once per year shown.\nquery DashboardMeasureVolumes($code: ID!, $year: Int!) {\n  measure(code: $code) {\n    code\n    volumes(year: $year) {\n      id\n      label\n      unit\n      value\n    }\n  }\n}\n": typeof types.DashboardMeasureVolumesDocument,
    "# View 1: the norm table of a year (Overzichtstabel 1), public.\nquery DashboardNormTable($year: Int!) {\n  normResultsTable(year: $year) {\n    normId\n    overviewRowId\n    label\n    target\n    result\n    met\n    counted\n    late\n    measure {\n      code\n      name\n      domain\n    }\n  }\n}\n": typeof types.DashboardNormTableDocument,
    "# View 4: a person's timeline across domains. Scopes persons:read (the person) and dossiers:read (the\n# timeline); the national number stays masked unless the token has person:identify and the request\n# states a purpose (x-purpose).\nquery DashboardPersonTimeline($id: ID!, $from: Date, $to: Date) {\n  person(id: $id) {\n    id\n    givenName\n    familyName\n    nationalNumber\n    province {\n      code\n      name\n    }\n    timeline(from: $from, to: $to) {\n      day\n      at\n      domain\n      type\n      measureCode\n      reference\n      summary\n    }\n  }\n}\n": typeof types.DashboardPersonTimelineDocument,
};
const documents: Documents = {
    "# View 3: the late dossiers (or payments) behind a measure's norm results of a year. Scope dossiers:read.\n# There is no root field for one norm: the view picks its norm from the measure's results.\nquery DashboardLateItems($code: ID!, $year: Int!, $first: Int!, $after: String) {\n  measure(code: $code) {\n    code\n    name\n    normResults(year: $year) {\n      norm {\n        id\n        label\n        thresholdDays\n        thresholdRule\n      }\n      counted\n      late\n      items(onTime: false, first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          startedAt\n          endedAt\n          dossier {\n            id\n            kind\n            status\n            receivedAt\n            applicant {\n              __typename\n              ... on Person {\n                id\n              }\n              ... on Organisation {\n                kboNumber\n                name\n              }\n            }\n          }\n          payment {\n            id\n            kind\n            amount\n          }\n        }\n      }\n    }\n  }\n}\n": types.DashboardLateItemsDocument,
    "# View 2: a measure's card, public: its catalogue data, norm results and volumes of the chosen year.\nquery DashboardMeasureCard($code: ID!, $year: Int!) {\n  measure(code: $code) {\n    code\n    name\n    domain\n    status\n    reportSection\n    normResults(year: $year) {\n      norm {\n        id\n        label\n      }\n      target\n      result\n      met\n      counted\n      late\n    }\n    volumes(year: $year) {\n      id\n      label\n      metric\n      unit\n      value\n    }\n  }\n}\n": types.DashboardMeasureCardDocument,
    "# View 2, the trend: one year of a measure's volumes, asked once per year shown.\nquery DashboardMeasureVolumes($code: ID!, $year: Int!) {\n  measure(code: $code) {\n    code\n    volumes(year: $year) {\n      id\n      label\n      unit\n      value\n    }\n  }\n}\n": types.DashboardMeasureVolumesDocument,
    "# View 1: the norm table of a year (Overzichtstabel 1), public.\nquery DashboardNormTable($year: Int!) {\n  normResultsTable(year: $year) {\n    normId\n    overviewRowId\n    label\n    target\n    result\n    met\n    counted\n    late\n    measure {\n      code\n      name\n      domain\n    }\n  }\n}\n": types.DashboardNormTableDocument,
    "# View 4: a person's timeline across domains. Scopes persons:read (the person) and dossiers:read (the\n# timeline); the national number stays masked unless the token has person:identify and the request\n# states a purpose (x-purpose).\nquery DashboardPersonTimeline($id: ID!, $from: Date, $to: Date) {\n  person(id: $id) {\n    id\n    givenName\n    familyName\n    nationalNumber\n    province {\n      code\n      name\n    }\n    timeline(from: $from, to: $to) {\n      day\n      at\n      domain\n      type\n      measureCode\n      reference\n      summary\n    }\n  }\n}\n": types.DashboardPersonTimelineDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "# View 3: the late dossiers (or payments) behind a measure's norm results of a year. Scope dossiers:read.\n# There is no root field for one norm: the view picks its norm from the measure's results.\nquery DashboardLateItems($code: ID!, $year: Int!, $first: Int!, $after: String) {\n  measure(code: $code) {\n    code\n    name\n    normResults(year: $year) {\n      norm {\n        id\n        label\n        thresholdDays\n        thresholdRule\n      }\n      counted\n      late\n      items(onTime: false, first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          startedAt\n          endedAt\n          dossier {\n            id\n            kind\n            status\n            receivedAt\n            applicant {\n              __typename\n              ... on Person {\n                id\n              }\n              ... on Organisation {\n                kboNumber\n                name\n              }\n            }\n          }\n          payment {\n            id\n            kind\n            amount\n          }\n        }\n      }\n    }\n  }\n}\n"): typeof import('./graphql.js').DashboardLateItemsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "# View 2: a measure's card, public: its catalogue data, norm results and volumes of the chosen year.\nquery DashboardMeasureCard($code: ID!, $year: Int!) {\n  measure(code: $code) {\n    code\n    name\n    domain\n    status\n    reportSection\n    normResults(year: $year) {\n      norm {\n        id\n        label\n      }\n      target\n      result\n      met\n      counted\n      late\n    }\n    volumes(year: $year) {\n      id\n      label\n      metric\n      unit\n      value\n    }\n  }\n}\n"): typeof import('./graphql.js').DashboardMeasureCardDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "# View 2, the trend: one year of a measure's volumes, asked once per year shown.\nquery DashboardMeasureVolumes($code: ID!, $year: Int!) {\n  measure(code: $code) {\n    code\n    volumes(year: $year) {\n      id\n      label\n      unit\n      value\n    }\n  }\n}\n"): typeof import('./graphql.js').DashboardMeasureVolumesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "# View 1: the norm table of a year (Overzichtstabel 1), public.\nquery DashboardNormTable($year: Int!) {\n  normResultsTable(year: $year) {\n    normId\n    overviewRowId\n    label\n    target\n    result\n    met\n    counted\n    late\n    measure {\n      code\n      name\n      domain\n    }\n  }\n}\n"): typeof import('./graphql.js').DashboardNormTableDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "# View 4: a person's timeline across domains. Scopes persons:read (the person) and dossiers:read (the\n# timeline); the national number stays masked unless the token has person:identify and the request\n# states a purpose (x-purpose).\nquery DashboardPersonTimeline($id: ID!, $from: Date, $to: Date) {\n  person(id: $id) {\n    id\n    givenName\n    familyName\n    nationalNumber\n    province {\n      code\n      name\n    }\n    timeline(from: $from, to: $to) {\n      day\n      at\n      domain\n      type\n      measureCode\n      reference\n      summary\n    }\n  }\n}\n"): typeof import('./graphql.js').DashboardPersonTimelineDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
