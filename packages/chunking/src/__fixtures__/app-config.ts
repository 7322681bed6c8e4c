// An application's configuration: services, database, cache, feature flags, logging.
export const appConfig = {
  app: { name: 'checkout-service', version: '4.12.0', environment: 'production' },
  server: {
    host: '0.0.0.0',
    port: 8080,
    tls: { enabled: true, cert_path: '/etc/tls/cert.pem', min_version: 'TLSv1.2' },
    timeouts: { read_ms: 5000, write_ms: 10000, idle_ms: 60000 },
  },
  database: {
    primary: {
      host: 'db-primary.internal',
      port: 5432,
      name: 'checkout',
      pool: { min: 4, max: 32, idle_timeout_ms: 30000 },
    },
    replicas: [
      { host: 'db-replica-1.internal', port: 5432, weight: 2 },
      { host: 'db-replica-2.internal', port: 5432, weight: 1 },
    ],
    migrations: { auto_apply: false, directory: 'migrations' },
  },
  cache: { provider: 'redis', url: 'redis://cache.internal:6379/0', ttl_seconds: 300, max_memory_mb: 512 },
  features: {
    new_payment_flow: { enabled: true, rollout_pct: 25, allowed_countries: ['NO', 'SE', 'DK'] },
    apple_pay: { enabled: true, rollout_pct: 100 },
    gift_cards: {
      enabled: false,
      rollout_pct: 0,
      reason: 'Waiting for the finance team to approve the refund policy.',
    },
  },
  logging: {
    level: 'info',
    format: 'json',
    redact: ['card_number', 'cvc', 'email'],
    sinks: { stdout: true, file: { enabled: false, path: '/var/log/checkout.log' } },
  },
  retries: { max_attempts: 3, backoff_ms: [100, 400, 1600] },
};
