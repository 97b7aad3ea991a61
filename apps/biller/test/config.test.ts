import { keyChecker } from '@bbps-kit/contract-app';
import { describe, expect, it } from 'vitest';
import { ConfigError, demoKeys, loadConfig, repoRoot } from '../src/config.ts';

const keys = { KALEIDOFIN_API_KEYS: 'k1', EBPP_CLIENT_KEY: 'client_1', EBPP_API_KEYS: 'a1' };

describe('configuration', () => {
  it('defaults to the embedded database under the repo root, demo mode and the demo keys', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      port: 8080,
      database: { kind: 'pglite', dataDir: `${repoRoot}.data/biller` },
      demo: true,
      kaleidofinApiKeys: [demoKeys.kaleidofinApiKey],
      ebppClientKey: demoKeys.ebppClientKey,
      ebppApiKeys: [demoKeys.ebppApiKey],
      metrics: undefined,
    });
    expect(loadConfig({ DATA_DIR: 'tmp/x' }).database).toEqual({ kind: 'pglite', dataDir: `${repoRoot}tmp/x/biller` });
    expect(loadConfig({ DATA_DIR: '/srv/data' }).database).toEqual({ kind: 'pglite', dataDir: '/srv/data/biller' });
  });

  it('uses PostgreSQL for a postgres:// URL, without demo mode unless asked', () => {
    const config = loadConfig({ ...keys, DATABASE_URL: 'postgres://u@db:5432/biller', PORT: '9000' });
    expect(config).toMatchObject({
      port: 9000,
      demo: false,
      database: { kind: 'postgres', url: 'postgres://u@db:5432/biller' },
    });
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/b', BILLER_DEMO: '1' }).demo).toBe(true);
  });

  it('sizes the PostgreSQL pool from DATABASE_POOL_SIZE, and refuses anything but 1 to 1000', () => {
    const url = 'postgres://db/b';
    expect(loadConfig({ ...keys, DATABASE_URL: url, DATABASE_POOL_SIZE: '24' }).database).toEqual({
      kind: 'postgres',
      url,
      poolSize: 24,
    });
    expect(loadConfig({ ...keys, DATABASE_URL: url }).database).toEqual({ kind: 'postgres', url });
    for (const bad of ['0', '1001', '2.5', 'ten', '-3']) {
      expect(() => loadConfig({ ...keys, DATABASE_URL: url, DATABASE_POOL_SIZE: bad })).toThrow(/DATABASE_POOL_SIZE/);
    }
  });

  it('splits comma-separated keys so several can be live at once', () => {
    const config = loadConfig({ ...keys, KALEIDOFIN_API_KEYS: ' old , new ,', EBPP_API_KEYS: 'a1,a2' });
    expect(config.kaleidofinApiKeys).toEqual(['old', 'new']);
    expect(config.ebppApiKeys).toEqual(['a1', 'a2']);
  });

  it('refuses to start without keys outside demo mode, naming each missing variable', () => {
    const attempt = () => loadConfig({ DATABASE_URL: 'postgres://db/b' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/KALEIDOFIN_API_KEYS is not set/);
    expect(attempt).toThrow(/EBPP_CLIENT_KEY is not set/);
    expect(attempt).toThrow(/EBPP_API_KEYS is not set/);
    expect(() => loadConfig({ ...keys, BILLER_DEMO: '0', EBPP_API_KEYS: '' })).toThrow(
      /^(?!.*KALEIDOFIN).*EBPP_API_KEYS/s,
    );
  });

  it('refuses malformed values', () => {
    expect(() => loadConfig({ PORT: 'http' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ BILLER_DEMO: 'maybe' })).toThrow(/BILLER_DEMO/);
    expect(() => loadConfig({ ...keys, EBPP_CLIENT_KEY: 'has space' })).toThrow(/EBPP_CLIENT_KEY/);
  });

  it("checks EBPP_CLIENT_KEY with the contract's client-key schema and says why in its words", () => {
    expect(loadConfig({ ...keys, EBPP_CLIENT_KEY: 'k'.repeat(50) }).ebppClientKey).toBe('k'.repeat(50));
    expect(() => loadConfig({ ...keys, EBPP_CLIENT_KEY: 'has space' })).toThrow(
      /EBPP_CLIENT_KEY is not a client-key as EBPP defines it: Invalid string: must match pattern \//,
    );
    expect(() => loadConfig({ ...keys, EBPP_CLIENT_KEY: 'k'.repeat(51) })).toThrow(/EBPP_CLIENT_KEY .*50 characters/);
  });
});

describe('metrics configuration', () => {
  it('has no metrics server unless METRICS_PORT is set, and binds it to loopback unless METRICS_HOST says otherwise', () => {
    expect(loadConfig({ ...keys }).metrics).toBeUndefined();
    expect(loadConfig({ ...keys, METRICS_PORT: ' ' }).metrics).toBeUndefined();
    expect(loadConfig({ ...keys, METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ ...keys, METRICS_PORT: '0' }).metrics).toEqual({ port: 0, host: '127.0.0.1' });
    for (const host of ['0.0.0.0', '::', '::1', '10.0.0.7', 'metrics.internal', 'localhost']) {
      expect(loadConfig({ ...keys, METRICS_PORT: '9464', METRICS_HOST: host }).metrics).toEqual({ port: 9464, host });
    }
  });

  it('names a bad METRICS_PORT or METRICS_HOST among every other problem', () => {
    for (const bad of ['http', '-1', '65536', '94.64', '9464x']) {
      expect(() => loadConfig({ ...keys, METRICS_PORT: bad })).toThrow(
        new RegExp(`METRICS_PORT must be a port number \\(0-65535\\), got "${bad.replace('.', '\\.')}"`),
      );
    }
    expect(() => loadConfig({ ...keys, PORT: '9000', METRICS_PORT: '9000' })).toThrow(
      /METRICS_PORT must differ from PORT/,
    );
    expect(() => loadConfig({ ...keys, METRICS_PORT: '9464', METRICS_HOST: 'http://x' })).toThrow(
      /METRICS_HOST must be an IP address or a host name, got "http:\/\/x"/,
    );
    expect(() => loadConfig({ ...keys, METRICS_HOST: '0.0.0.0' })).toThrow(
      /METRICS_HOST is set but METRICS_PORT is not/,
    );
    // One parser, every problem at once.
    const attempt = () => loadConfig({ PORT: 'x', METRICS_PORT: 'y', DATABASE_URL: 'postgres://db/b' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      /PORT must be a port number.*\n.*METRICS_PORT must be a port number[\s\S]*KALEIDOFIN_API_KEYS is not set/,
    );
  });
});

describe('key checks', () => {
  it('accepts any configured key and nothing else, whatever the length', () => {
    const check = keyChecker(['current-key', 'next-key']);
    expect(check('current-key')).toBe(true);
    expect(check('next-key')).toBe(true);
    for (const wrong of [undefined, '', 'current-ke', 'current-key ', 'x'.repeat(10_000), 'CURRENT-KEY']) {
      expect(check(wrong)).toBe(false);
    }
    expect(keyChecker([])('anything')).toBe(false);
  });
});
