// A bare Hono JSON echo on @hono/node-server: the framework's ceiling for the bench.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono().post('/echo', async (c) => c.json(await c.req.json()));
serve({ fetch: app.fetch, port: Number(process.argv[2]), hostname: '127.0.0.1' });
