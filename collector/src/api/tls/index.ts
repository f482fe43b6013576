/** TLS for the collector's API server, with certificate reload. See docs/security.md. */
export { CertReloader, readKeyPair } from './cert-reloader.ts';
export type { CertReloaderOptions, KeyPair, TlsFiles } from './cert-reloader.ts';
export { createApiServer, resolveTlsFlags } from './create-server.ts';
export type { CreatedServer, TlsServerOptions } from './create-server.ts';
