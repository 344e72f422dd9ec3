import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { generate } from "selfsigned";
import { projectRoot } from "../setup/paths";

/**
 * Not a fake: Debian's nginx (installed by the tests' own setup, tests/setup/system-deps.ts) with
 * the configuration printed in README.md, read from there at every start. Only the paths, ports
 * and certificate a production machine would have are swapped for the test's own, and each swap
 * must find its text, so the README and what the tests run cannot drift apart.
 */

export type NginxOptions = {
  /** The platform's port on 127.0.0.1, in place of the README's 3000. */
  appPort: number;
  /** The folder the README calls /var/lib/rettidig/media/. */
  mediaDir: string;
  /**
   * The value of MEDIA_EDGE_SECRET the platform signs edge links with, written to the secret file
   * the README has the operator generate; without it there is no file, as on a server without the edge tier.
   */
  edgeSecret?: string;
  /**
   * Also serve the media folder at this prefix from a plain static location in the same TLS
   * server, for the bench's reference figure: the same workers, TLS and sendfile as the README's
   * media locations, without any check. Never part of the README's configuration.
   */
  plainStaticPrefix?: string;
  /**
   * MEDIA_STORAGE=s3 with edge links: the bucket's media/ folder (`<endpoint>/<bucket>/media/`),
   * which /edge/ proxies to in place of its alias, as the README says under "Film fra et objektlager".
   */
  edgeFromBucket?: string;
};

export type TestNginx = {
  /** `https://127.0.0.1:<port>`: the README's TLS server. */
  httpsOrigin: string;
  /** `http://127.0.0.1:<port>`: the README's plain-HTTP server, which only redirects. */
  httpOrigin: string;
  /** The self-signed certificate nginx presents, for clients that should trust it. */
  certificatePem: string;
  /** nginx's own error log, for a test that failed to see why. */
  errorLog(): string;
  /** The access log the README's configuration writes, in its own format. */
  accessLog(): string;
  stop(): Promise<void>;
};

const README_START = "<!-- nginx-config:start -->";
const README_END = "<!-- nginx-config:end -->";

/** The configuration block between the README's markers, without its code fence. */
export function nginxConfigFromReadme(readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8")) {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error("README.md has no nginx configuration between its markers");
  const block = readme.slice(start + README_START.length, end).trim();
  const fenced = /^```nginx\n([\s\S]*)\n```$/.exec(block);
  if (!fenced?.[1]) throw new Error("The README's nginx configuration is not one ```nginx block");
  return fenced[1];
}

function swap(config: string, from: string, to: string): string {
  if (!config.includes(from)) throw new Error(`The README's nginx configuration no longer contains ${from}`);
  return config.split(from).join(to);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, process: ChildProcess, errorLog: () => string) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) throw new Error(`nginx stopped at start:\n${errorLog()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not open port ${port}:\n${errorLog()}`);
}

/** Starts nginx in a folder of its own under `workDir` and waits until both its ports answer. */
export async function startNginx(workDir: string, options: NginxOptions): Promise<TestNginx> {
  const dir = path.resolve(workDir);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "tls"), { recursive: true });
  const [httpsPort, httpPort] = [await freePort(), await freePort()];

  const certificate = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keySize: 2048,
    extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
  });
  fs.writeFileSync(path.join(dir, "tls/fullchain.pem"), certificate.cert);
  fs.writeFileSync(path.join(dir, "tls/privkey.pem"), certificate.private, { mode: 0o600 });
  if (options.edgeSecret !== undefined)
    fs.writeFileSync(
      path.join(dir, "edge-secret.conf"),
      `set $rettidig_edge_secret "${options.edgeSecret.replace(/["\\$]/g, "")}";\n`,
    );

  let site = nginxConfigFromReadme();
  site = swap(site, "server 127.0.0.1:3000;", `server 127.0.0.1:${options.appPort};`);
  site = swap(site, "listen 443 ssl http2;", `listen 127.0.0.1:${httpsPort} ssl http2;`);
  site = swap(site, "listen 80;", `listen 127.0.0.1:${httpPort};`);
  site = swap(site, "/etc/ssl/rettidig/", `${dir}/tls/`);
  site = swap(site, "/etc/rettidig/", `${dir}/`);
  site = swap(site, "/var/log/nginx/", `${dir}/`);
  if (options.edgeFromBucket !== undefined)
    site = swap(
      site,
      '        if ($secure_link = "0") { return 410; }\n        log_not_found off;\n        alias /var/lib/rettidig/media/;',
      `        if ($secure_link = "0") { return 410; }\n        log_not_found off;\n        proxy_pass ${options.edgeFromBucket};`,
    );
  site = swap(site, "/var/lib/rettidig/media/", `${path.resolve(options.mediaDir)}/`);
  if (options.plainStaticPrefix !== undefined)
    site = swap(
      site,
      "    location / {",
      `    location ${options.plainStaticPrefix} {\n        alias ${path.resolve(options.mediaDir)}/;\n        sendfile on;\n        tcp_nopush on;\n    }\n\n    location / {`,
    );
  fs.writeFileSync(path.join(dir, "rettidig.conf"), site);

  // What /etc/nginx/nginx.conf gives a production machine, with every path inside the test's folder.
  const errorLogFile = path.join(dir, "error.log");
  fs.writeFileSync(
    path.join(dir, "nginx.conf"),
    [
      "daemon off;",
      "worker_processes 2;",
      `pid ${dir}/nginx.pid;`,
      `error_log ${errorLogFile} warn;`,
      "events { worker_connections 4096; }",
      "http {",
      "  include /etc/nginx/mime.types;",
      "  default_type application/octet-stream;",
      "  access_log off;",
      "  keepalive_requests 100000;",
      ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) => `  ${kind}_temp_path ${dir}/${kind}-temp;`),
      `  include ${dir}/rettidig.conf;`,
      "}",
      "",
    ].join("\n"),
  );

  const readLog = (file: string) => () => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
  const errorLog = readLog(errorLogFile);
  const binary = process.env.NGINX_PATH ?? "/usr/sbin/nginx";
  const child = spawn(binary, ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", errorLogFile], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  await waitForPort(httpsPort, child, () => stderr + errorLog());
  await waitForPort(httpPort, child, () => stderr + errorLog());

  return {
    httpsOrigin: `https://127.0.0.1:${httpsPort}`,
    httpOrigin: `http://127.0.0.1:${httpPort}`,
    certificatePem: certificate.cert,
    errorLog,
    accessLog: readLog(path.join(dir, "rettidig.access.log")),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGQUIT");
      }),
  };
}
