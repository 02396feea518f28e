import type { SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { expect } from 'vitest';

export type DossierStage = 'ADMISSIBLE' | 'GRANTED' | 'REFUSED';

/**
 * Takes activation dossiers through the kit's mutations for tests of what follows a decision
 * (appeals, the combined procedure): every step with a fresh idempotency key, any error fails the test.
 */
export function dossierSteps(subgraph: () => SubgraphUnderTest, keyPrefix: string) {
  let counter = 0;
  const key = () => `${keyPrefix}-${++counter}-${Date.now()}`;

  const step = async (op: string, input: string, values: Record<string, unknown>) => {
    const res = await subgraph().execute<any>(
      `mutation ($input: ${input}!) { activation { ${op}(input: $input) { id status } } }`,
      { input: { ...values, idempotencyKey: key() } },
    );
    expect(res.errors, op).toBeUndefined();
    return res.data.activation[op] as { id: string; status: string };
  };

  /** A dossier of 2024 taken up to `until`: ADMISSIBLE, or decided (granted or refused) on 2024-02-20 10:00. */
  async function dossier(
    until: DossierStage,
    options: {
      measureCode: string;
      kind?: string;
      applicant: { applicantKbo: string } | { applicantPersonId: string };
    },
  ): Promise<string> {
    const { id } = await step('submitDossier', 'SubmitDossierInput', {
      measureCode: options.measureCode,
      kind: options.kind ?? 'APPLICATION',
      channel: 'ONLINE',
      ...options.applicant,
      receivedAt: '2024-02-01T09:00:00+01:00',
    });
    await step('declareAdmissibility', 'DeclareAdmissibilityInput', {
      dossierId: id,
      admissible: true,
      at: '2024-02-03T10:00:00+01:00',
    });
    if (until === 'ADMISSIBLE') return id;
    await step('completeFile', 'CompleteFileInput', { dossierId: id, at: '2024-02-10T10:00:00+01:00' });
    await step('decideDossier', 'DecideDossierInput', {
      dossierId: id,
      granted: until === 'GRANTED',
      at: '2024-02-20T10:00:00+01:00',
    });
    return id;
  }

  return { key, dossier };
}
