// A static server that behaves like GitHub Pages for a project site: the site lives under a
// sub-path, a directory without its trailing slash is redirected, a directory serves its
// index.html, and any unknown path gets the site's 404.html with status 404.
//
//   node pages-server.mjs --dir ../../dist --prefix /senior-leap/ --port 4173 [--gzip]
//
// With --gzip it compresses text and wasm for a client that accepts gzip, as GitHub Pages does
// (the benchmark's throttled loads need the bytes a real visit transfers); the tests leave it off.

import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const root = resolve(args.dir ?? "dist");
const prefix = (`/${(args.prefix ?? "/").replace(/^\/+|\/+$/g, "")}/`).replace("//", "/");
const port = Number(args.port ?? 4173);
const gzip = process.argv.includes("--gzip");
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".wasm", ".css", ".json", ".svg", ".txt"]);
/** Compressed bodies by path, size and time: each file is compressed once. */
const compressed = new Map();

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".txt": "text/plain; charset=utf-8",
  ".ico": "image/x-icon",
};

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isDir(path) {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function send(res, status, path) {
  let body = await readFile(path);
  const headers = {
    "content-type": TYPES[extname(path)] ?? "application/octet-stream",
    "cache-control": "max-age=600",
  };
  if (gzip && COMPRESSIBLE.has(extname(path)) && /\bgzip\b/.test(res.req.headers["accept-encoding"] ?? "")) {
    const { size, mtimeMs } = await stat(path);
    const key = `${path}:${size}:${mtimeMs}`;
    if (!compressed.has(key)) compressed.set(key, gzipSync(body, { level: 6 }));
    body = compressed.get(key);
    headers["content-encoding"] = "gzip";
    headers.vary = "Accept-Encoding";
  }
  headers["content-length"] = body.length;
  res.writeHead(status, headers);
  res.end(body);
}

async function notFound(res) {
  const page = join(root, "404.html");
  if (await isFile(page)) return send(res, 404, page);
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("404 Not Found");
}

createServer(async (req, res) => {
  try {
    const url = new URL(req.url, "http://localhost");
    const pathname = decodeURIComponent(url.pathname);
    if (`${pathname}/` === prefix) {
      res.writeHead(301, { location: prefix + url.search });
      return res.end();
    }
    if (!pathname.startsWith(prefix)) return notFound(res);
    const rel = normalize(pathname.slice(prefix.length));
    if (rel.startsWith("..")) return notFound(res);
    const path = join(root, rel);
    if (await isDir(path)) {
      if (!pathname.endsWith("/")) {
        res.writeHead(301, { location: `${pathname}/${url.search}` });
        return res.end();
      }
      const index = join(path, "index.html");
      return (await isFile(index)) ? send(res, 200, index) : notFound(res);
    }
    if (await isFile(path)) return send(res, 200, path);
    return notFound(res);
  } catch (err) {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end(String(err));
  }
}).listen(port, "127.0.0.1", () => console.log(`serving ${root} at http://127.0.0.1:${port}${prefix}`));
