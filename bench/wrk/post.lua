-- wrk script for bench/run.py's POST rows: every request sends the next prepared body.
--   wrk ... -s bench/wrk/post.lua URL -- BODIES_FILE CSRF_COOKIE THREADS [RECEIPTS]
-- BODIES_FILE holds one urlencoded form per line; thread i sends lines i+1, i+1+THREADS, ...
-- With RECEIPTS set, an answer counts as a success only if it shows a receipt code, and the
-- first codes each thread saw are printed so the caller can look them up in the database.

dofile("bench/wrk/report.lua")

local bodies = {}
local next_body = 1
local headers = {}
local want_receipt = false
receipts = 0
codes = ""

function init(args)
  local all = {}
  for line in io.lines(args[1]) do
    table.insert(all, line)
  end
  local step = tonumber(args[3])
  for i = id + 1, #all, step do
    table.insert(bodies, all[i])
  end
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. args[2],
    ["Origin"] = "null",
    ["Sec-Fetch-Site"] = "same-origin",
  }
  want_receipt = args[4] == "RECEIPTS"
end

function request()
  local body = bodies[next_body]
  if body == nil then
    -- Out of prepared forms: resend the last one, which the site answers "already received"
    -- (not a receipt), so it counts as an error rather than as a tip stored.
    body = bodies[#bodies]
  else
    next_body = next_body + 1
  end
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  elseif want_receipt then
    local code = body:match('id="receipt%-code"[^>]*value="([%w%-]+)"')
    if code then
      receipts = receipts + 1
      if receipts <= 5 then
        codes = codes .. code .. " "
      end
    else
      bad = bad + 1
    end
  end
end

function extra()
  local total, seen = 0, ""
  for _, thread in ipairs(threads) do
    total = total + (thread:get("receipts") or 0)
    seen = seen .. (thread:get("codes") or "")
  end
  return string.format(', "receipts": %d, "codes": "%s"', total, seen)
end
