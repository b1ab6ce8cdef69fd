-- The wrk script of bench/http.sh: one fixed request per run, and a machine-readable summary at the end.
--
--   BODY_BYTES=65536 wrk -t2 -c16 -d10s --latency -s bench/http-wrk.lua http://127.0.0.1:PORT/echo
--
-- BODY_BYTES unset or 0: a GET of the URL (no body). BODY_BYTES=N: a POST of N bytes (byte i is (i * 31 + 7) mod
-- 256, as the JMH benchmark and the Rust floor send), Content-Type application/octet-stream; wrk adds the
-- Content-Length. The request is formatted once (no request() function), so wrk sends it without running Lua per
-- request. done() prints one line, "wrk-result {...}" (JSON), after wrk's own report: requests, duration (µs),
-- bytes read, the errors by kind (status: responses other than 2xx/3xx) and the latency percentiles in µs.

local n = tonumber(os.getenv("BODY_BYTES") or "0") or 0
if n > 0 then
  local parts = {}
  for i = 0, n - 1 do
    parts[#parts + 1] = string.char((i * 31 + 7) % 256)
  end
  wrk.method = "POST"
  wrk.body = table.concat(parts)
  wrk.headers["Content-Type"] = "application/octet-stream"
else
  wrk.method = "GET"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'wrk-result {"requests": %d, "duration_us": %d, "bytes": %d, "errors": {"connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d}, "latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, ' ..
    '"max": %d}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50.0), latency:percentile(90.0), latency:percentile(99.0), latency.max))
end
