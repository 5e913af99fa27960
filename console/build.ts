/**
 * Builds the console (console/src, React) with esbuild into a few static files: index.html, one
 * script and one stylesheet named by their content hash (so a CDN may cache them for good), and
 * nothing else; `config.json` is written next to them by whoever serves them (the local runner, the
 * stack's deployment). Synchronous, so a CDK synth can call it.
 */
import { buildSync } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const HERE = __dirname;

export interface ConsoleFile {
  readonly body: Buffer;
  readonly contentType: string;
  /** Named by its content hash: cacheable for good. index.html is not. */
  readonly immutable: boolean;
}

export interface ConsoleBundle {
  /** Path (`/index.html`, `/app-<hash>.js`, ...) → file. */
  readonly files: ReadonlyMap<string, ConsoleFile>;
  /** What a browser downloads, raw and gzipped, in bytes. */
  readonly size: { readonly raw: number; readonly gzip: number };
  /** A digest of every file: changes whenever the console does. */
  readonly digest: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

let built: ConsoleBundle | undefined;

/** The production build, once per process (a synth builds several stacks; the runner serves one). */
export function buildConsole(): ConsoleBundle {
  built ??= bundle();
  return built;
}

function bundle(): ConsoleBundle {
  const result = buildSync({
    entryPoints: [path.join(HERE, 'src', 'main.tsx')],
    bundle: true,
    write: false,
    outdir: path.join(HERE, 'dist'),
    entryNames: 'app-[hash]',
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    jsx: 'automatic',
    minify: true,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const files = new Map<string, ConsoleFile>();
  for (const output of result.outputFiles) {
    const name = `/${path.basename(output.path)}`;
    files.set(name, { body: Buffer.from(output.contents), contentType: CONTENT_TYPES[path.extname(name)]!, immutable: true });
  }
  const script = [...files.keys()].find((name) => name.endsWith('.js'));
  const style = [...files.keys()].find((name) => name.endsWith('.css'));
  if (!script || !style) throw new Error('the console build produced no script or no stylesheet');
  const html = readFileSync(path.join(HERE, 'index.html'), 'utf8').replace('/app.js', script).replace('/app.css', style);
  files.set('/index.html', { body: Buffer.from(html), contentType: CONTENT_TYPES['.html']!, immutable: false });
  const bodies = [...files.values()].map((file) => file.body);
  const digest = createHash('sha256');
  for (const [name, file] of [...files].sort(([a], [b]) => a.localeCompare(b))) digest.update(name).update(file.body);
  return {
    files,
    size: { raw: bodies.reduce((sum, body) => sum + body.length, 0), gzip: bodies.reduce((sum, body) => sum + gzipSync(body).length, 0) },
    digest: digest.digest('hex'),
  };
}

/**
 * The headers every console response carries, locally and from CloudFront: a strict Content
 * Security Policy (scripts and styles only from the console itself; the API and, on AWS, Cognito as
 * the only other places it talks to), no framing, no sniffing, no referrer, HSTS.
 */
export function consoleSecurityHeaders(connectSources: readonly string[], formActions: readonly string[] = []): Record<string, string> {
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${connectSources.join(' ')}`.trim(),
    `form-action 'self' ${formActions.join(' ')}`.trim(),
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}
