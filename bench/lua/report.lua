-- Shared by every scenario: collect per-thread counters and print one JSON line at the end.
-- Loaded with dofile() from each scenario script (BENCH_LUA_DIR is set by the harness).

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- Scenario scripts call count(name) to record what they saw (status per request kind, ...).
counters = {}
function count(name)
  counters[name] = (counters[name] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counters")
    if c then
      for k, v in pairs(c) do totals[k] = (totals[k] or 0) + v end
    end
  end
  local parts = {}
  for k, v in pairs(totals) do table.insert(parts, string.format('"%s": %d', k, v)) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"duration_us": %d, "requests": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"min": %d, "mean": %.1f, "stdev": %.1f, "max": %d, ' ..
    '"p50": %d, "p75": %d, "p90": %d, "p99": %d, "p999": %d}, "counters": {%s}}\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), table.concat(parts, ", ")))
end

-- Read a data file (one record per line) prepared by the harness; at most `limit` lines when given.
function read_lines(path, limit)
  local lines = {}
  local f = assert(io.open(path, "r"))
  for line in f:lines() do
    if line ~= "" then table.insert(lines, line) end
    if limit and #lines >= limit then break end
  end
  f:close()
  return lines
end

function split_tab(line)
  local fields = {}
  for field in string.gmatch(line, "([^\t]*)\t?") do
    if field ~= "" then table.insert(fields, field) end
  end
  return fields
end
