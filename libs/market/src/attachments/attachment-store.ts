import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where attachment bytes live: the seam between the API and the storage. The database holds what
 * a file is and who may see it; a store only keeps bytes under a key the API chose (a random
 * uuid, never a name a client sent).
 *
 * The default is a local folder (`LocalFolderStore`, ATTACHMENTS_DIR). An object store (S3, OSS,
 * MinIO) implements the same three calls with its client's put, get and delete of one object:
 * no S3-style client is installed in this project, so none is shipped; docs/attachments.md says
 * how to add one.
 */
export interface AttachmentStore {
  put(key: string, bytes: Buffer): Promise<void>;
  /** Null when the key holds nothing. */
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
}

export const ATTACHMENT_STORE = Symbol('ATTACHMENT_STORE');

/** A folder on the API's disk: fine for one API process or a shared volume. */
export class LocalFolderStore implements AttachmentStore {
  constructor(private readonly dir: string) {}

  /** Keys are uuids the API made: nothing a client sends reaches a path. */
  private path(key: string): string {
    if (!/^[0-9a-f-]{36}$/.test(key)) throw new Error('attachment keys are uuids');
    return join(this.dir, key.slice(0, 2), key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
    // `wx`: a key is written once; a second write of one key is a bug, not an overwrite.
    await writeFile(path, bytes, { flag: 'wx' });
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
