/** The archive bucket adapter (decision 065): checksummed writes, once per content, and reads. */
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, NotFound, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3ArchiveStore } from '#adapters/aws/archive.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const s3 = mockClient(S3Client);
beforeEach(() => s3.reset());

const body = Buffer.from('{"complaint":{}}\n');
const sha256 = createHash('sha256').update(body).digest('hex');
const object = { key: 'complaints/2026/part-abc.jsonl.gz', body, sha256, contentType: 'application/gzip' };
const store = () => new S3ArchiveStore({ bucket: 'archive-bucket', client: new S3Client({ region: 'cn-north-1' }) });

describe('the S3 archive store', () => {
  it('puts a new object with its SHA-256, which an Object Lock bucket requires', async () => {
    // Prepare
    s3.on(HeadObjectCommand).rejects(new NotFound({ message: 'not found', $metadata: {} }));
    s3.on(PutObjectCommand).resolves({});
    // Act
    const written = await store().put(object);
    // Assess
    expect(written).toBe(true);
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'archive-bucket',
      Key: object.key,
      Body: body,
      ContentType: 'application/gzip',
      ChecksumAlgorithm: 'SHA256',
      ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
    });
  });

  it('writes nothing when the key holds the same bytes already (a re-run adds no locked version)', async () => {
    // Prepare
    s3.on(HeadObjectCommand).resolves({ ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64') });
    // Act
    const written = await store().put(object);
    // Assess
    expect(written).toBe(false);
    expect(s3.commandCalls(HeadObjectCommand)[0]?.args[0].input).toEqual({ Bucket: 'archive-bucket', Key: object.key, ChecksumMode: 'ENABLED' });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('reads an object, and undefined for a missing one', async () => {
    // Prepare
    s3.on(GetObjectCommand, { Key: 'there' }).resolves({ Body: { transformToByteArray: async () => new Uint8Array(body) } as never });
    s3.on(GetObjectCommand, { Key: 'missing' }).rejects(Object.assign(new Error('gone'), { name: 'NoSuchKey' }));
    // Act
    const there = await store().get('there');
    const missing = await store().get('missing');
    // Assess
    expect(Buffer.from(there ?? []).toString()).toBe(body.toString());
    expect(missing).toBeUndefined();
  });

  it('does not hide other errors', async () => {
    // Prepare
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    // Act / Assess
    await expect(store().put(object)).rejects.toThrow('denied');
  });
});
