import type {
  GetObjectCommand,
  GetObjectCommandOutput,
  PutObjectCommand,
  PutObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { bounded, createdOnFirstCall } from './aws';
import { SDK_CLIENT_CONFIG } from './sdk-timeouts';

/**
 * S3, loaded by the first document a container stores or reads (./aws.ts `createdOnFirstCall`): a
 * template submission that is refused stores nothing. An endpoint on an IP address (local mode's S3
 * emulator) is addressed path-style by the SDK itself. The one caller
 * (onboarding/template-documents.ts) makes its commands from the same `import()`.
 */
const client = createdOnFirstCall(async () => {
  const { S3Client } = await import('@aws-sdk/client-s3');
  return bounded(new S3Client(SDK_CLIENT_CONFIG));
});

/** The calls the functions make to the documents bucket. */
interface DocumentsClient {
  send(command: PutObjectCommand): Promise<PutObjectCommandOutput>;
  send(command: GetObjectCommand): Promise<GetObjectCommandOutput>;
}

export const s3: DocumentsClient = {
  send: async (command: PutObjectCommand | GetObjectCommand) => (await client()).send(command),
};

/** For a function whose every request reads or stores a document: as ./ses.ts `preloadSes`. */
export async function preloadS3(): Promise<void> {
  await client();
}
