-- wrk script for bench/frontdoor.py: GETs, or POSTs of prepared tip forms, counting answers by
-- kind and printing one machine-readable line (WRK {...}):
--   wrk ... -s bench/wrk/frontdoor.lua URL -- THREADS [BODIES_FILE CSRF_COOKIE]
-- Requests wrk gave up on (its --timeout, 5 s here) are wrk's own timeout errors: answers that
-- came after 5 s, if they came at all. For POSTs, a 200 counts as a receipt only if the page
-- shows a receipt code.

threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

ok = 0
shed = 0
other = 0
receipts = 0
local bodies = {}
local next_body = 1
local headers = {}
local posting = false

function init(args)
  if args[2] == nil then
    return
  end
  posting = true
  local all = {}
  for line in io.lines(args[2]) do
    table.insert(all, line)
  end
  local step = tonumber(args[1])
  for i = id + 1, #all, step do
    table.insert(bodies, all[i])
  end
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. args[3],
    ["Origin"] = "null",
    ["Sec-Fetch-Site"] = "same-origin",
  }
end

function request()
  if not posting then
    return wrk.format("GET")
  end
  local body = bodies[next_body] or bodies[#bodies]
  next_body = next_body + 1
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    if posting and body:match('id="receipt%-code"') then
      receipts = receipts + 1
    end
  elseif status == 503 then
    shed = shed + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  local totals = {ok = 0, shed = 0, other = 0, receipts = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
  end
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "ok": %d, "shed": %d, "other": %d, '
      .. '"receipts": %d, "timeouts": %d, "socket_errors": %d, "p50_us": %.1f, "p99_us": %.1f}\n',
    summary.requests, summary.duration, totals.ok, totals.shed, totals.other, totals.receipts,
    errors.timeout, errors.connect + errors.read + errors.write,
    latency:percentile(50), latency:percentile(99)
  ))
end
