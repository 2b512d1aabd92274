/** Where a version came from. */
export type VersionSource = 'import' | 'trainer';

/** What the caller says about a new version; the registry adds number, time and size. */
export interface NewVersion {
  source: VersionSource;
  /** Architecture fingerprint of the artefact (decides whether states carry over on a swap). */
  fingerprint: string;
  /** The version it was trained from, when fine-tuned. */
  parentVersion?: number;
  /** Event time span of the training data, epoch ms. */
  trainingWindow?: { from: number; to: number };
  trainingLoss?: number;
  validationLoss?: number;
  /** Free text, e.g. the directory a model was imported from. */
  note?: string;
}

export interface VersionInfo extends NewVersion {
  model: string;
  version: number;
  /** Epoch ms. */
  createdAt: number;
  /** Size of the artefact in bytes. */
  sizeBytes: number;
}
