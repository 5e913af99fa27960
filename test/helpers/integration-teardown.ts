import type { LocalService } from '../../bin/local/services';

export default async function integrationTeardown(): Promise<void> {
  const services = (globalThis as { __integrationServices?: LocalService[] }).__integrationServices ?? [];
  await Promise.allSettled(services.map((service) => service.stop()));
}
