/**
 * `ArchiveStore` on the archive S3 bucket (`ARCHIVE_BUCKET`; Object Lock, versioning, decision 065).
 * Objects are written once: a key that exists already is left alone (parts are named by their
 * content's checksum, so the same key is the same bytes), which also keeps a re-run from adding
 * locked versions. Every PutObject carries its SHA-256, which Object Lock buckets require.
 */
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ArchiveStore } from '#app/ports.ts';

let sharedClient: S3Client | undefined;
/** One client per module (per Lambda container), created on first use. */
export function s3Client(): S3Client {
  sharedClient ??= new S3Client({});
  return sharedClient;
}

const missing = (error: unknown) =>
  error instanceof NotFound || error instanceof NoSuchKey || (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey'));

export class S3ArchiveStore implements ArchiveStore {
  private readonly bucket: string;
  private readonly client: S3Client;

  constructor(opts: { bucket?: string; client?: S3Client } = {}) {
    const bucket = opts.bucket ?? process.env['ARCHIVE_BUCKET'];
    if (!bucket) throw new Error('ARCHIVE_BUCKET is not set');
    this.bucket = bucket;
    this.client = opts.client ?? s3Client();
  }

  async put(object: { key: string; body: Uint8Array; sha256: string; contentType: string }): Promise<boolean> {
    const existing = await this.client
      .send(new HeadObjectCommand({ Bucket: this.bucket, Key: object.key, ChecksumMode: 'ENABLED' }))
      .catch((error: unknown) => {
        if (missing(error)) return undefined;
        throw error;
      });
    const checksum = Buffer.from(object.sha256, 'hex').toString('base64');
    // The manifest keeps its key and changes: only an identical object is skipped.
    if (existing && existing.ChecksumSHA256 === checksum) return false;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: object.key,
        Body: object.body,
        ContentType: object.contentType,
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: checksum,
      }),
    );
    return true;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.Body ? await out.Body.transformToByteArray() : undefined;
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }
}
