import { requiredVariable } from './settings';

/**
 * The S3 buckets, as data (like ./tables): CDK creates them, local mode creates the same buckets in its
 * S3 emulator, and handlers find each bucket's name in the env var named here.
 */
export const BUCKETS = {
  documents: { id: 'Documents', envVar: 'DOCUMENTS_BUCKET' },
} as const;

export type BucketName = keyof typeof BUCKETS;

export function bucketName(name: BucketName): string {
  return requiredVariable(BUCKETS[name].envVar);
}
