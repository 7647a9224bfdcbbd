"""bench/paced.py, the open-loop load of the settlement goal: it keeps its schedule, sends each pre-signed request
once with the headers the Lua script sends, and counts a stall against every request it held up (no coordinated
omission). A small asyncio HTTP server in the test answers; its delays are the inputs."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from bench.paced import drive, percentile, settlement_requests


def _serve(stall_on: int | None = None, stall_s: float = 0.0):
    """An HTTP/1.1 keep-alive server answering 200 at once, or after `stall_s` to the request numbered
    `stall_on` (from 1); it keeps what it received."""
    received: list[bytes] = []

    async def handle(reader, writer):
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            received.append(head + await reader.readexactly(length))
            if len(received) == stall_on:
                await asyncio.sleep(stall_s)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
            await writer.drain()
        writer.close()

    return handle, received


def _requests(count: int) -> list[bytes]:
    return [f"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\n{n:04d}".encode() for n in range(count)]


def _run(handle, requests, **load) -> dict:
    """The load against the server, on an event loop of its own in a thread of its own (the browser tests' sync
    Playwright may have left a loop running in this one)."""

    async def run():
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            return await drive(host="127.0.0.1", port=port, requests=requests, timeout_s=5, **load)

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


def test_a_server_that_keeps_up_is_sent_the_offered_rate_each_request_once():
    handle, received = _serve()
    result = _run(handle, _requests(100), rate=100, connections=4, duration_s=0.5)
    # 0.5 s at 100/s: 50 requests, the first 50 of the file in order, none twice.
    assert result["requests"] == 50 and result["counters"] == {"status_200": 50}
    assert sorted(received) == _requests(100)[:50]
    assert 90 <= result["requests"] / (result["duration_us"] / 1e6) <= 110
    assert result["latency_us"]["p99"] < 50_000
    assert set(result["errors"].values()) == {0}
    assert len(result["worst_ms_by_second"]) == 1 and 0 < result["worst_ms_by_second"][0] < 50
    assert len(result["steal_ms_by_second"]) == 1 and result["steal_ms_by_second"][0] >= 0


def test_a_stall_counts_against_every_request_it_held_up():
    # One connection, a request every 20 ms for 1 s; the 10th answer takes 300 ms. The 10th waited 300 ms, and the
    # next ones, due every 20 ms while it waited, about 280, 260, ... ms from their scheduled time: 11 of the 50
    # at >= 100 ms. A closed loop (latency from the send) would see one slow request and a p90 near zero.
    handle, _ = _serve(stall_on=10, stall_s=0.3)
    result = _run(handle, _requests(60), rate=50, connections=1, duration_s=1.0)
    assert result["requests"] == 50
    assert result["latency_us"]["max"] >= 300_000
    assert result["latency_us"]["p90"] >= 100_000  # the 45th of 50 is among the 11 held up
    assert result["latency_us"]["p50"] < 50_000


def test_too_few_requests_are_counted_not_sent_twice():
    handle, received = _serve()
    result = _run(handle, _requests(5), rate=100, connections=2, duration_s=0.2)
    assert result["requests"] == 5 and len(received) == 5
    assert result["counters"]["exhausted"] >= 1


def test_settlement_requests_carry_the_signed_headers_of_the_lua_script(tmp_path, monkeypatch):
    data = tmp_path / "requests.tsv"
    data.write_text('1764700000\tn0nce\tc2lnbmF0dXJl\t{"msgid":"H1"}\n\n')
    monkeypatch.setenv("BENCH_DATA", str(data))
    monkeypatch.setenv("BENCH_INSTITUTION", "H42010000001")
    monkeypatch.setenv("BENCH_KEY_ID", "k1")
    [request] = settlement_requests("127.0.0.1:8000")
    head, body = request.split(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "POST /api/settlement/v1/2207 HTTP/1.1"
    assert set(lines[1:]) == {"Host: 127.0.0.1:8000", "Content-Type: application/json",
                              "X-Sscard-Institution: H42010000001", "X-Sscard-Key-Id: k1",
                              "X-Sscard-Timestamp: 1764700000", "X-Sscard-Nonce: n0nce",
                              "X-Sscard-Signature: c2lnbmF0dXJl", "Content-Length: 14"}
    assert body == b'{"msgid":"H1"}'


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert [percentile(values, p) for p in (50, 90, 99, 99.9, 100)] == [50.0, 90.0, 99.0, 100.0, 100.0]
    assert percentile([7.0], 99) == 7.0 and percentile([], 50) == 0.0
