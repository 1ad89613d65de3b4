import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface GithubStandIn {
  /** Base URL to use as GITHUB_API_URL. */
  url: string;
  requests: RecordedRequest[];
  /** The next `times` requests answer `status` with a GitHub-style error body. */
  failNext(times: number, status: number, message?: string): void;
  close(): Promise<void>;
}

/** A local HTTP stand-in for the GitHub REST API: records every request, answers 204. */
export async function startGithubStandIn(): Promise<GithubStandIn> {
  const requests: RecordedRequest[] = [];
  const failures: { status: number; message: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const failure = failures.shift();
      if (!failure) return void res.writeHead(204).end();
      res.writeHead(failure.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: failure.message, documentation_url: 'https://docs' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(times, status, message = 'stand-in failure') {
      for (let i = 0; i < times; i++) failures.push({ status, message });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
