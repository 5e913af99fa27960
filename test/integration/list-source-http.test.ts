import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpListSource } from '../../lambda/modules/screening/adapters';
import { TransientError } from '../../lambda/shared';
import { refreshSanctionsList } from '../../lambda/modules/screening';
import { realList } from '../helpers/ofac-data';
import { toSdnXml } from '../helpers/ofac-xml';
import { screeningSystem } from '../helpers/screening-system';

/** A stand-in for OFAC's Sanctions List Service on loopback: a redirect to the file, as the service answers. */
let body = '';
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/api/PublicationPreview/exports/SDN.XML') {
      response.writeHead(302, { location: '/signed/sdn.xml' }).end();
    } else if (request.url === '/signed/sdn.xml') {
      response.writeHead(200, { 'content-type': 'application/xml', 'last-modified': 'Fri, 03 May 2024 18:43:00 GMT' }).end(body);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('HttpListSource (the production fetch) against a local HTTP server', () => {
  it('follows the redirect, names the file after the URL, records the publication and skips it unchanged', async () => {
    body = toSdnXml(realList().entries.slice(0, 300), '2024-05-03');
    const system = await screeningSystem();
    const source = new HttpListSource(`${base}/api/PublicationPreview/exports/SDN.XML`);
    const fetched = await source.fetch();
    expect(fetched.files.map((file) => file.name)).toEqual(['sdn.xml']);
    expect(fetched.fileDate).toBe('2024-05-03');

    const first = await refreshSanctionsList({ ...system, actor: 'system:test' }, source);
    expect(first.version).toMatchObject({ format: 'sdn_xml', listDate: '2024-05-03', dateSource: 'publish_date', entryCount: 300 });
    expect((await refreshSanctionsList({ ...system, actor: 'system:test' }, source)).changed).toBe(false);
  });

  it('reports an unreachable or failing source as transient, so the schedule retries', async () => {
    await expect(new HttpListSource(`${base}/missing`).fetch()).rejects.toThrow(TransientError);
    await expect(new HttpListSource('http://127.0.0.1:9/nothing-listens-here', 2_000).fetch()).rejects.toThrow(TransientError);
  });
});
