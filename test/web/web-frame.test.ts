import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requirePageRule } from '../../web/page-access.ts';
import { html, raw } from '../../web/html.ts';
import { createApiHarness, type ApiHarness } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';

let h: ApiHarness & { testDb: TestDatabase };

beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h.close());

describe('the web frame', () => {
  test('a page route without a page rule stops the app from starting', () => {
    const app = Fastify({ logger: false });
    app.addHook('onRoute', requirePageRule);
    expect(() => app.get('/unruled', async () => 'x')).toThrow(/GET \/unruled declares no page rule/);
  });

  test('a page route with :id must say what the id names', () => {
    const app = Fastify({ logger: false });
    app.addHook('onRoute', requirePageRule);
    expect(() => app.get('/things/:id', { config: { page: { roles: ['owner'] } } }, async () => 'x')).toThrow(/config.page.target must say what :id names/);
  });

  test('text from users and platforms is escaped; only our own markup passes', () => {
    const review = '<script>alert(1)</script> "quoted" & \'single\'';
    expect(html`<p title="${review}">${review}</p>`.text).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;">&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;</p>',
    );
    expect(html`<ul>${['a<b', html`<li>${'c&d'}</li>`, null, false, raw('<hr>')]}</ul>`.text).toBe('<ul>a&lt;b<li>c&amp;d</li><hr></ul>');
  });

  test('pages carry a strict content security policy and are not cached', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/sign-in' });
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("form-action 'self'");
    expect(page.headers['cache-control']).toBe('no-store');
  });

  test('the stylesheet and scripts are served from the package; unknown assets are 404', async () => {
    const css = await h.app.inject({ method: 'GET', url: '/assets/app.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await h.app.inject({ method: 'GET', url: '/assets/app.js' })).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await h.app.inject({ method: 'GET', url: '/assets/..%2Fweb-app.ts' })).statusCode).toBe(404);
  });

  test('a browser asking for an unknown page gets an HTML page; a script gets the API error', async () => {
    const browser = await h.app.inject({ method: 'GET', url: '/no/such/page', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(browser.statusCode).toBe(404);
    expect(browser.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(browser.body).toContain('<h1>Not found</h1>');
    const script = await h.app.inject({ method: 'GET', url: '/no/such/page' });
    expect(script.statusCode).toBe(404);
    expect(script.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /no/such/page' } });
    const api = await h.app.inject({ method: 'GET', url: '/v1/nothing', headers: { accept: 'text/html' } });
    expect(api.headers['content-type']).toContain('application/json');
  });

  test('a form posted with text PostgreSQL cannot store gets a 400 page naming the field', async () => {
    const form = await h.app.inject({ method: 'GET', url: '/sign-in' });
    const response = await h.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: String(form.headers['set-cookie']).split(';')[0] ?? '' },
      payload: 'email=a%00b&password=x',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('body.email');
  });
});
