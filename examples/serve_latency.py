#!/usr/bin/env python3
"""`fixbook serve` edit latency: from writing a file to the changed page answering over HTTP.

usage:
    cargo run --release --example gen_corpus -- 10000 /tmp/kb10k
    cargo build --release
    python3 examples/serve_latency.py target/release/fixbook /tmp/kb10k [EDITS] [KIND ...]

Works on a copy of the site (the original is never touched), with one screenshot added to
problem-00005 for the image edits. For each kind of edit (body, title, tags, add, delete, fix,
status, image; all by default), EDITS times (20): write the file, poll the page that shows the
change every 3 ms until it does, then wait 150 ms, as a writer saving now and then would.
Prints p50, p95 and the slowest per kind; the server's own log goes to serve-latency.log in
the copy. Timings are what this machine gives: compare binaries in one run.
"""
import os
import re
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zlib

PORT = 1199
BASE = f"http://127.0.0.1:{PORT}"
ARTICLE = "articles/problem-00010.md"
WITH_IMAGE = "articles/problem-00005.md"
STATUS = "status/status-000.md"
KINDS = ["body", "title", "tags", "add", "delete", "fix", "status", "image"]


def png_bytes(width, height, shade):
    """An RGB PNG whose pixels depend on `shade`: a new screenshot for each edit."""
    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in ((x + shade) % 256, (y * 2) % 256, (shade * 7) % 256))
        for y in range(height)
    )

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def get(path):
    try:
        with urllib.request.urlopen(BASE + path, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, ""
    except OSError:
        return 0, ""


def wait_until(path, ok, limit=10.0):
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        status, body = get(path)
        if ok(status, body):
            return
        time.sleep(0.003)
    raise SystemExit(f"timed out waiting for {path}")


def image_names(html):
    return set(re.findall(r"/media/shot\.[0-9a-f]+\.", html))


class Site:
    def __init__(self, root):
        self.content = os.path.join(root, "content")

    def read(self, path):
        with open(os.path.join(self.content, path)) as f:
            return f.read()

    def write(self, path, data):
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(os.path.join(self.content, path), mode) as f:
            f.write(data)

    def remove(self, path):
        os.remove(os.path.join(self.content, path))


def edits(site, kind, count, fix, fix_user):
    """Yields (edit, page, shows_it) for `count` edits of `kind`; each reads the file as the
    edit before it left it."""
    template = site.read("articles/problem-00020.md")
    for i in range(count):
        token = f"tok{kind}{i}x"
        if kind == "body":
            text = site.read(ARTICLE) + f"\n\nNew note {token}.\n"
            yield (lambda t=text: site.write(ARTICLE, t)), "/articles/problem-00010/", (lambda s, b, k=token: k in b)
        elif kind == "title":
            text = re.sub(r'^title: "(.*?)( tok\w+)?"', lambda m, k=token: f'title: "{m.group(1)} {k}"', site.read(ARTICLE), count=1, flags=re.M)
            yield (lambda t=text: site.write(ARTICLE, t)), "/articles/problem-00010/", (lambda s, b, k=token: k in b)
        elif kind == "tags":
            tag = ["storage", "sync", "network", "power"][i % 4]
            text = re.sub(r"^tags: .*$", f'tags: ["account", "{tag}"]', site.read(ARTICLE), count=1, flags=re.M)
            yield (lambda t=text: site.write(ARTICLE, t)), "/articles/problem-00010/", (lambda s, b, t=tag: f'href="/tags/{t}/"' in b)
        elif kind == "add":
            text = re.sub(r'^title: ".*"', f'title: "Added page {token}"', template, count=1, flags=re.M)
            path = f"articles/zz-added-{i:02}.md"
            yield (lambda t=text, p=path: site.write(p, t)), f"/articles/zz-added-{i:02}/", (lambda s, b, k=token: s == 200 and k in b)
        elif kind == "delete":
            path = f"articles/zz-added-{i:02}.md"
            if not os.path.exists(os.path.join(site.content, path)):
                site.write(path, template)
                time.sleep(0.5)
            yield (lambda p=path: site.remove(p)), f"/articles/zz-added-{i:02}/", (lambda s, b: s == 404)
        elif kind == "fix":
            text = site.read(fix) + f"\n6. Also check {token}.\n"
            yield (lambda t=text: site.write(fix, t)), f"/articles/{fix_user}/", (lambda s, b, k=token: k in b)
        elif kind == "status":
            text = re.sub(r'^meaning: "(.*?)( tok\w+)?"', lambda m, k=token: f'meaning: "{m.group(1)} {k}"', site.read(STATUS), count=1, flags=re.M)
            yield (lambda t=text: site.write(STATUS, t)), "/status/status-000/", (lambda s, b, k=token: k in b)
        elif kind == "image":
            before = image_names(get("/articles/problem-00005/")[1])
            data = png_bytes(390, 844, i + 1)
            yield (lambda d=data: site.write("media/shot.png", d)), "/articles/problem-00005/", (
                lambda s, b, old=before: bool(image_names(b)) and not (image_names(b) & old)
            )


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    binary, source = os.path.abspath(sys.argv[1]), sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    kinds = sys.argv[4:] or KINDS
    work = tempfile.mkdtemp(prefix="fixbook-serve-latency-")
    root = os.path.join(work, "site")
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("public", ".fixbook", ".public*"))
    site = Site(root)
    os.makedirs(os.path.join(site.content, "media"), exist_ok=True)
    site.write("media/shot.png", png_bytes(390, 844, 0))
    text = site.read(WITH_IMAGE)
    site.write(WITH_IMAGE, text.replace("## Why it happens", "![A settings screen with the sync switch](../media/shot.png)\n\n## Why it happens", 1))
    # The fix with the most users, up to 40 (the "a fix used by 40 articles").
    articles = sorted(os.listdir(os.path.join(site.content, "articles")))
    users = {}
    for name in articles:
        for fix in re.findall(r'"(fix-\d+)"', site.read("articles/" + name)):
            users.setdefault(fix, []).append(name[:-3])
    fix = max(users, key=lambda f: (len(users[f]) <= 40, len(users[f])))
    log = open(os.path.join(root, "serve-latency.log"), "w")
    server = subprocess.Popen([binary, "serve", "--port", str(PORT)], cwd=root, stdout=log, stderr=log)
    try:
        started = time.perf_counter()
        wait_until("/", lambda s, b: s == 200, 300)
        print(f"first build answered in {time.perf_counter() - started:.1f} s; {fix} is used by {len(users[fix])} articles")
        time.sleep(3)
        print("| edit | p50 | p95 | slowest |\n|---|---|---|---|")
        for kind in kinds:
            times = []
            for edit, page, shows_it in edits(site, kind, count, f"fixes/{fix}.md", users[fix][0]):
                start = time.perf_counter()
                edit()
                wait_until(page, shows_it)
                times.append((time.perf_counter() - start) * 1000)
                time.sleep(0.15)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            print(f"| {kind} | {statistics.median(times):.0f} ms | {p95:.0f} ms | {times[-1]:.0f} ms |", flush=True)
            time.sleep(3)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
