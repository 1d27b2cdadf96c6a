-- wrk script for bench/run.py: counts every answer that is not a 200 as an error and prints one
-- machine-readable line (WRK {...}) with the request count, duration and p50/p99 in microseconds.
-- post.lua builds on it. wrk runs one copy of this file per thread, plus one for setup/done.

threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

bad = 0

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

-- Extra fields for the WRK line (post.lua adds the receipts).
function extra()
  return ""
end

function done(summary, latency, requests)
  local errors = summary.errors
  local socket = errors.connect + errors.read + errors.write + errors.timeout
  local not_ok = 0
  for _, thread in ipairs(threads) do
    not_ok = not_ok + (thread:get("bad") or 0)
  end
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %.1f, "p99_us": %.1f%s}\n',
    summary.requests, summary.duration, socket + not_ok,
    latency:percentile(50), latency:percentile(99), extra()
  ))
end
