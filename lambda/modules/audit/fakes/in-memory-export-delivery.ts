import type { ExportDelivery } from '../ports';

/** The exports bucket in memory: what was put, and links that name the key and how long they last. */
export class InMemoryExportDelivery implements ExportDelivery {
  readonly objects = new Map<string, { body: string; contentType: string }>();

  async put(key: string, body: string, contentType: string): Promise<void> {
    this.objects.set(key, { body, contentType });
  }

  async link(key: string, expiresInSeconds: number): Promise<string> {
    return `memory://exports/${key}?expires=${expiresInSeconds}`;
  }

  /** The object a link names. */
  fetch(link: string): string | undefined {
    return this.objects.get(new URL(link).pathname.slice(1))?.body;
  }
}
