"""Fetch benchmark: 300 feeds on loopback servers that take 100 ms to answer each request.

Prints ratios measured in one run (no timed test asserts them):

1. fetch alone: wall time against the ideal ``300 x 0.1 s / concurrency`` (target: within 1.5x);
2. a whole ``digest fetch`` run, then the same run again with every feed answering 304: the
   second run's time against the first (target: under 10%), and whether any file changed
   (target: none);
3. the peak memory (max RSS) of this process, which ran all of the above (target: 300 MiB).

The servers (asyncio, keep-alive) run in a child process, so their threads and memory are not counted. The feeds
are spread over 30 loopback addresses (127.0.0.1-30: on Linux the whole 127/8 is loopback),
ten feeds each, so the per-host limit (2) is not what bounds the run; the 100 ms delay
applies to every answer, 304s included.

    .venv/bin/python bench/fetch_bench.py [--feeds 300] [--delay 0.1] [--items 10]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import shutil
import statistics
import sys
import tempfile
import time
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

HOSTS = 30
WORDS = ("harbour ferry council budget school river bridge market festival museum library "
         "station tram weather storm harvest election court hospital theatre").split()


def feed_body(number: int, items: int) -> bytes:
    """A realistic small feed: ``items`` stories of about 1.5 KB of HTML each."""
    now = datetime(2026, 11, 23, 6, 0, tzinfo=timezone.utc)
    entries = []
    for item in range(items):
        words = [WORDS[(number * 7 + item * 3 + k) % len(WORDS)] for k in range(12)]
        text = " ".join(words * 2).capitalize() + "."
        html = "".join(f"<p>{text} Paragraph {p} of story {item} in feed {number}.</p>" for p in range(6))
        link = f"https://feed{number}.example.org/story/{item}"
        entries.append(
            f"<item><title>{' '.join(words[:6]).title()} ({number}.{item})</title>"
            f"<link>{link}</link><guid>{link}</guid>"
            f"<pubDate>{format_datetime(now - timedelta(hours=item))}</pubDate>"
            f"<description>{escape(html)}</description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Feed {number}</title><link>https://feed{number}.example.org/</link>"
            f"<description>Bench feed {number}</description>{''.join(entries)}</channel></rss>"
            ).encode("utf-8")


def serve(feeds: int, items: int, delay: float, ready) -> None:
    """HTTP/1.1 with keep-alive on HOSTS loopback addresses; every answer waits ``delay``.

    asyncio rather than http.server: a thread per connection made the server, not the
    client under test, the bottleneck on a two-core machine.
    """
    bodies = {f"/feed-{n}.xml": feed_body(n, items) for n in range(feeds)}

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
                await asyncio.sleep(delay)
                body, etag = bodies.get(path), f'"{path}-v1"'
                if body is None:
                    status, extra, body = "404 Not Found", "", b""
                elif {k.lower(): v for k, v in headers.items()}.get("if-none-match") == etag:
                    status, extra, body = "304 Not Modified", f"ETag: {etag}\r\n", b""
                else:
                    status = "200 OK"
                    extra = f"ETag: {etag}\r\nContent-Type: application/rss+xml; charset=utf-8\r\n"
                length = f"Content-Length: {len(body)}\r\n" if not status.startswith("304") else ""
                writer.write(f"HTTP/1.1 {status}\r\n{extra}{length}\r\n".encode("latin-1") + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        addresses = []
        for host in range(1, HOSTS + 1):
            server = await asyncio.start_server(answer, f"127.0.0.{host}", 0, backlog=256)
            addresses.append(f"http://127.0.0.{host}:{server.sockets[0].getsockname()[1]}")
        ready.put(addresses)
        await asyncio.Event().wait()

    asyncio.run(main())


def bare_client_time(urls: list[str], concurrency: int) -> float:
    """The floor on this machine: the same requests from a bare asyncio client, no HTTP library.

    One connection per request, like the fetcher's (30 hosts, pool of 16): what is left over
    between this and the ideal is the machine and the servers, not digest.
    """
    async def get(url: str, slots: asyncio.Semaphore) -> None:
        host, port_path = url.removeprefix("http://").split(":", 1)
        port, path = port_path.split("/", 1)
        async with slots:
            reader, writer = await asyncio.open_connection(host, int(port))
            writer.write(f"GET /{path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            writer.close()

    async def everything() -> None:
        slots = asyncio.Semaphore(concurrency)
        await asyncio.gather(*(get(url, slots) for url in urls))

    started = time.perf_counter()
    asyncio.run(everything())
    return time.perf_counter() - started


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(root.rglob("*")) if path.is_file()}


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StepTimer:
    """Wraps the pipeline's steps (module globals) to say where a run's time goes."""

    STEPS = ("fetch_feeds", "ingest_feed", "load_posts", "write_articles", "refresh_pages")

    def __init__(self, module):
        self.spent = dict.fromkeys(self.STEPS, 0.0)
        for name in self.STEPS:
            setattr(module, name, self.timed(name, getattr(module, name)))

    def timed(self, name, step):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return step(*args, **kwargs)
            finally:
                self.spent[name] += time.perf_counter() - started
        return wrapper

    def take(self) -> dict[str, float]:
        spent, self.spent = self.spent, dict.fromkeys(self.STEPS, 0.0)
        return spent


def breakdown(spent: dict[str, float]) -> str:
    return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in spent.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="timings of fetch alone")
    args = parser.parse_args()

    ready = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(args.feeds, args.items, args.delay, ready),
                                     daemon=True)
    server.start()
    bases = ready.get(timeout=30)
    urls = [f"{bases[n % HOSTS]}/feed-{n}.xml" for n in range(args.feeds)]

    from digest import pipeline
    from digest.config import load_settings
    from digest.ingest.feedlist import FeedSource
    from digest.ingest.fetch import Outcome, fetch_all

    print(f"max RSS after imports: {max_rss_mib():.0f} MiB")
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch)
        shutil.copy(REPO / "mkdocs.yml", site / "mkdocs.yml")
        shutil.copytree(REPO / "docs", site / "docs")
        shutil.copytree(REPO / "overrides", site / "overrides")
        (site / "feeds.txt").write_text("".join(url + "\n" for url in urls), encoding="utf-8")
        settings = load_settings(site / "mkdocs.yml")
        policy = pipeline.fetch_policy(settings)
        sources = [FeedSource(url, None, f"feeds.txt:{n + 1}") for n, url in enumerate(urls)]

        # 1. Fetch alone. The first fetch in a process imports httpx's lazy parts (anyio's
        # backend, h11) and loads the CA bundle, about half a second on a busy machine; a
        # one-feed warm-up pays that first so the timing is of the concurrency.
        started = time.perf_counter()
        fetch_all(sources[:1], policy)
        print(f"warm-up (one feed, one-off imports): {time.perf_counter() - started:.2f} s")
        ideal = args.feeds * args.delay / policy.concurrency
        times = []
        for _ in range(args.repeat):
            started, cpu = time.perf_counter(), time.process_time()
            results = fetch_all(sources, policy)
            times.append(time.perf_counter() - started)
            cpu = time.process_time() - cpu
            fetched = sum(result.outcome is Outcome.FETCHED for result in results)
            print(f"fetch alone: {fetched}/{args.feeds} fetched in {times[-1]:.2f} s "
                  f"(CPU {cpu:.2f} s); ratio to ideal {times[-1] / ideal:.2f}")
        middle = statistics.median(times)
        bare = statistics.median(bare_client_time(urls, policy.concurrency) for _ in range(args.repeat))
        print(f"bare asyncio client, same requests, median: {bare:.2f} s; ratio to ideal "
              f"{bare / ideal:.2f} (the machine's floor)")
        print(f"fetch alone, median of {len(times)}: {middle:.2f} s; ideal {args.feeds} x "
              f"{args.delay} s / {policy.concurrency} = {ideal:.2f} s; ratio {middle / ideal:.2f} "
              "(target <= 1.5)")
        print(f"max RSS after fetching alone: {max_rss_mib():.0f} MiB")

        # 2. A whole run, then the same run with every feed answering 304.
        timer = StepTimer(pipeline)
        started = time.perf_counter()
        first = pipeline.run(settings)
        first_time = time.perf_counter() - started
        first_steps = timer.take()
        print(f"run 1: {first.summary_line()}")
        print(f"run 1: {first_time:.2f} s ({breakdown(first_steps)}); max RSS {max_rss_mib():.0f} MiB")
        before = snapshot(site)
        started = time.perf_counter()
        second = pipeline.run(settings)
        second_time = time.perf_counter() - started
        second_steps = timer.take()
        changed = sorted(path for path, seen in snapshot(site).items() if before.get(path) != seen)
        print(f"run 2: {second.summary_line()}")
        print(f"run 2: {second_time:.2f} s ({breakdown(second_steps)})")
        fetch_stage = [steps["fetch_feeds"] + steps["ingest_feed"] for steps in (first_steps, second_steps)]
        print(f"run 2 / run 1, whole run: {second_time / first_time:.3f} (target < 0.10)")
        print(f"run 2 / run 1, fetch stage (fetch_feeds + ingest_feed): "
              f"{fetch_stage[1] / fetch_stage[0]:.3f}")
        print(f"files written by run 2: {len(changed)} {changed[:5] if changed else ''}(target 0)")

    print(f"peak memory (max RSS of this process, servers excluded): {max_rss_mib():.0f} MiB "
          "(target < 300)")
    server.terminate()


if __name__ == "__main__":
    main()
