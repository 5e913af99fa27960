import path from 'node:path';
import { TransientError } from '../../../shared';
import type { ListSource } from '../ports';
import type { SourceFile } from '../list';
import { readListFolder } from './list-folder';

/** OFAC's Sanctions List Service: the advanced XML carries every name, alias strength, date and address. */
export const OFAC_SDN_ADVANCED_URL = 'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_ADVANCED.XML';
/** OFAC's consolidated non-SDN lists (SSI, NS-CMIC, NS-PLC, FSE, NS-MBS, CAPTA, ...) in the same advanced schema. */
export const OFAC_CONS_ADVANCED_URL = 'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_ADVANCED.XML';
/** The same publication in the simpler schema, for deployments that prefer it. */
export const OFAC_SDN_XML_URL = 'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML';

/** One file from a URL (the service answers with a redirect to a signed download, which fetch follows). */
export class HttpListSource implements ListSource {
  constructor(
    private readonly url: string,
    private readonly timeoutMs = 240_000,
  ) {}

  get description(): string {
    return this.url;
  }

  async fetch(): Promise<{ files: SourceFile[]; fileDate: string }> {
    let response: Response;
    try {
      response = await fetch(this.url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: 'application/xml, text/csv, */*' } });
    } catch (cause) {
      throw new TransientError(`cannot reach the sanctions list source: ${(cause as Error).message}`, { cause });
    }
    if (!response.ok) throw new TransientError(`the sanctions list source answered ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const name = path.basename(new URL(this.url).pathname).toLowerCase();
    const lastModified = response.headers.get('last-modified');
    const fileDate = (lastModified ? new Date(lastModified) : new Date()).toISOString().slice(0, 10);
    return { files: [{ name, bytes }], fileDate };
  }
}

/** A folder with OFAC's files: local runs, tests and the CLI. */
export class FolderListSource implements ListSource {
  constructor(private readonly folder: string) {}

  get description(): string {
    return `folder ${path.basename(path.resolve(this.folder))}`;
  }

  async fetch(): Promise<{ files: SourceFile[]; fileDate: string }> {
    return readListFolder(this.folder);
  }
}
