-- Settlement (2207) with pre-signed requests: BENCH_DATA has one "timestamp<TAB>nonce<TAB>signature<TAB>body" per
-- line (bench.settlement requests: each its own nonce and msgid, HMAC-SHA256 signed, timestamps within the
-- 5-minute window). Each wrk thread walks its own share of the file, each line once; a line sent twice would be a
-- replay and is counted as "repeat". BENCH_INSTITUTION and BENCH_KEY_ID name the key.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local lines = {}
local i = 0
local wrapped = false
local path = "/api/settlement/v1/2207"
local institution = os.getenv("BENCH_INSTITUTION")
local key_id = os.getenv("BENCH_KEY_ID")

function init(args)
  local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
  local all = read_lines(os.getenv("BENCH_DATA"))
  local id = wrk.thread:get("id") or 0
  for n = id + 1, #all, threads do
    local fields = {}
    for field in string.gmatch(all[n], "([^\t]+)") do table.insert(fields, field) end
    table.insert(lines, fields)
  end
end

function request()
  i = i + 1
  if i > #lines then
    i = 1
    wrapped = true
  end
  if wrapped then count("repeat") end
  local l = lines[i]
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["X-Sscard-Institution"] = institution,
    ["X-Sscard-Key-Id"] = key_id,
    ["X-Sscard-Timestamp"] = l[1],
    ["X-Sscard-Nonce"] = l[2],
    ["X-Sscard-Signature"] = l[3],
  }, l[4])
end

function response(status, headers, body)
  count("status_" .. status)
  wrk.thread:set("counters", counters)
end
