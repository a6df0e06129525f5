import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { blobReader, childLocation, parseS3Location, s3BlobReader } from '../../../lambdas/adapters/sources/blob-reader';
import { NotFoundError } from '../../../lambdas/core/errors';

describe('the blob reader', () => {
  it('tells S3 locations from local paths', () => {
    expect(parseS3Location('s3://bucket/feeds/news')).toEqual({ bucket: 'bucket', key: 'feeds/news' });
    expect(parseS3Location('s3://bucket')).toEqual({ bucket: 'bucket', key: '' });
    expect(parseS3Location('/data/universe.csv')).toBeUndefined();
    expect(childLocation('s3://bucket/feeds/', 'news')).toBe('s3://bucket/feeds/news');
    expect(childLocation('feeds', 'news')).toBe('feeds/news');
  });

  it('lists every page of an S3 prefix, one level deep, with ETags as versions, and reads objects', async () => {
    const s3 = mockClient(S3Client);
    s3.on(ListObjectsV2Command, { Bucket: 'b', Prefix: 'feeds/news/', Delimiter: '/' })
      .resolvesOnce({ Contents: [{ Key: 'feeds/news/2026-02-01.jsonl', ETag: '"a"' }], NextContinuationToken: 't' })
      .resolvesOnce({ Contents: [{ Key: 'feeds/news/2026-02-02.jsonl', ETag: '"b"' }] });
    s3.on(GetObjectCommand, { Bucket: 'b', Key: 'feeds/news/2026-02-02.jsonl' }).resolves({
      // The SDK's streaming body, as far as the reader uses it.
      Body: { transformToString: async () => '{"a":1}\n' } as never,
    });
    s3.on(GetObjectCommand, { Bucket: 'b', Key: 'missing.csv' }).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    const reader = blobReader(() => s3BlobReader(new S3Client({ region: 'us-east-1' })));
    expect(await reader.list('s3://b/feeds/news')).toEqual([
      { location: 's3://b/feeds/news/2026-02-01.jsonl', name: '2026-02-01.jsonl', version: '"a"' },
      { location: 's3://b/feeds/news/2026-02-02.jsonl', name: '2026-02-02.jsonl', version: '"b"' },
    ]);
    expect(await reader.read('s3://b/feeds/news/2026-02-02.jsonl')).toBe('{"a":1}\n');
    await expect(reader.read('s3://b/missing.csv')).rejects.toBeInstanceOf(NotFoundError);
    s3.restore();
  });

  it('lists a missing local folder as empty and reports a missing local file by name', async () => {
    const reader = blobReader(() => {
      throw new Error('S3 is not used for local paths');
    });
    expect(await reader.list('/nonexistent/feeds/news')).toEqual([]);
    await expect(reader.read('/nonexistent/universe.csv')).rejects.toThrow('no file at /nonexistent/universe.csv');
  });
});
