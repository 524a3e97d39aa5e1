import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameAncestors, normalizeTrustedDomain, originIsTrusted } from './domains.js';

test('exact hostnames match any port and http(s), nothing else', () => {
  const t = ['localhost', 'example.com'];
  assert.ok(originIsTrusted('http://localhost:8000', t));
  assert.ok(originIsTrusted('https://localhost', t));
  assert.ok(originIsTrusted('https://example.com', t));
  for (const bad of ['https://example.com.evil.io', 'https://evilexample.com', 'https://sub.example.com', 'null', '', 'file://example.com', 'http://user@example.com', 'ftp://example.com']) {
    assert.equal(originIsTrusted(bad, t), false, bad);
  }
  assert.equal(originIsTrusted(undefined, t), false);
});

test('wildcards match subdomains only, full origins match exactly', () => {
  const t = ['*.example.com', 'https://shop.test:8443'];
  assert.ok(originIsTrusted('https://a.example.com', t));
  assert.ok(originIsTrusted('https://a.b.example.com', t));
  assert.equal(originIsTrusted('https://example.com', t), false);
  assert.equal(originIsTrusted('https://aexample.com', t), false);
  assert.ok(originIsTrusted('https://shop.test:8443', t));
  assert.equal(originIsTrusted('http://shop.test:8443', t), false);
  assert.equal(originIsTrusted('https://shop.test', t), false);
});

test('trusted-domain entries are normalised or refused', () => {
  assert.equal(normalizeTrustedDomain(' Example.COM '), 'example.com');
  assert.equal(normalizeTrustedDomain('*.Example.com'), '*.example.com');
  assert.equal(normalizeTrustedDomain('127.0.0.1'), '127.0.0.1');
  assert.equal(normalizeTrustedDomain('https://a.example.com:8443'), 'https://a.example.com:8443');
  for (const bad of ['', '*.com', 'exa mple.com', 'https://a.example.com/path', '*', 'a..b', 'javascript:alert(1)']) assert.equal(normalizeTrustedDomain(bad), null, bad);
});

test('frame-ancestors lists every trusted origin, none when empty', () => {
  assert.equal(frameAncestors([]), "'none'");
  const csp = frameAncestors(['localhost', '*.example.com']);
  assert.match(csp, /http:\/\/localhost:\*/);
  assert.match(csp, /https:\/\/\*\.example\.com/);
});
