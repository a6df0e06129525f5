/**
 * Operator-supplied source files (the universe CSV, vendor feed deliveries) are read from an S3
 * object or prefix in AWS and from a file or folder locally: one small reader behind one shape, so
 * the adapters that parse them never know which.
 *
 * Locations: `s3://bucket/key` or a local path. Listing returns the objects directly under a
 * prefix (folder), with a version tag (ETag or mtime+size) so callers can cache what they parsed.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { NotFoundError, SourceUnavailableError } from '../../core/errors';

export interface BlobEntry {
  /** Location of the entry, readable with `read`. */
  location: string;
  /** The last path segment, e.g. `2026-02-02.jsonl`. */
  name: string;
  /** Changes when the content does (S3 ETag, or local mtime and size). */
  version: string;
}

export interface BlobReader {
  /** The whole text of a file or object. @throws NotFoundError when it does not exist. */
  read(location: string): Promise<string>;
  /** The files or objects directly under a folder or prefix; empty when there are none. */
  list(folder: string): Promise<BlobEntry[]>;
}

export interface S3Location {
  bucket: string;
  key: string;
}

/** `s3://bucket/key` → bucket and key; undefined for a local path. */
export function parseS3Location(location: string): S3Location | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
  return match ? { bucket: match[1]!, key: match[2]! } : undefined;
}

/** Join a folder (or S3 prefix) and a name. */
export function childLocation(folder: string, name: string): string {
  return parseS3Location(folder) ? `${folder.replace(/\/+$/, '')}/${name}` : join(folder, name);
}

function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** Local files and folders. */
export function fileBlobReader(): BlobReader {
  return {
    read: async (location) => {
      try {
        return await readFile(resolve(location), 'utf8');
      } catch (error) {
        if (isMissingFile(error)) throw new NotFoundError(`no file at ${location}`);
        throw error;
      }
    },
    list: async (folder) => {
      let names: string[];
      try {
        names = await readdir(resolve(folder));
      } catch (error) {
        if (isMissingFile(error)) return [];
        throw error;
      }
      const entries = await Promise.all(
        names.map(async (name) => {
          const location = join(folder, name);
          const info = await stat(resolve(location));
          return info.isFile() ? { location, name, version: `${info.mtimeMs}:${info.size}` } : undefined;
        }),
      );
      return entries.filter((entry): entry is BlobEntry => entry !== undefined);
    },
  };
}

/** S3 objects and prefixes, through a client the composition root creates (and traces). */
export function s3BlobReader(client: Pick<S3Client, 'send'>): BlobReader {
  return {
    read: async (location) => {
      const { bucket, key } = requireS3(location);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await object.Body?.transformToString('utf8')) ?? '';
      } catch (error) {
        if ((error as Error).name === 'NoSuchKey') throw new NotFoundError(`no object at ${location}`);
        throw new SourceUnavailableError(`cannot read ${location}: ${(error as Error).message}`, { cause: error });
      }
    },
    list: async (folder) => {
      const { bucket, key } = requireS3(folder);
      const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
      const entries: BlobEntry[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          const name = object.Key!.slice(prefix.length);
          if (name !== '')
            entries.push({ location: `s3://${bucket}/${object.Key}`, name, version: object.ETag ?? String(object.LastModified) });
        }
        token = page.NextContinuationToken;
      } while (token);
      return entries;
    },
  };
}

function requireS3(location: string): S3Location {
  const parsed = parseS3Location(location);
  if (!parsed) throw new NotFoundError(`${location} is not an s3:// location`);
  return parsed;
}

/** One reader for both: `s3://` locations go to S3, anything else to the file system. */
export function blobReader(s3: () => BlobReader): BlobReader {
  const files = fileBlobReader();
  const pick = (location: string) => (parseS3Location(location) ? s3() : files);
  return {
    read: (location) => pick(location).read(location),
    list: (folder) => pick(folder).list(folder),
  };
}
