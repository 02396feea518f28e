export {
  DOSSIER_DOMAINS,
  dossierLines,
  euros,
  writeDemoDataset,
  type DossierLine,
  type GeneratedDataset,
} from './dataset.ts';
