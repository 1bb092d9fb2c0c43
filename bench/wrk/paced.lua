-- wrk script: an open-loop load at a fixed rate, for latency at a given throughput (wrk itself only
-- runs closed loops, whose latencies leave out the time a request would have waited to be sent).
--
--   WRK_RATE=9000 WRK_THREADS_N=32 WRK_LABEL=x wrk -t32 -c32 -d30s -s paced.lua [-H ...] URL
--
-- One connection per thread (-t equal to -c): each thread keeps its own schedule of due times, evenly
-- spaced at WRK_RATE / WRK_THREADS_N per second, and follows its one connection through delay(),
-- request() and response(), which wrk calls in that order for a connection. A request's latency runs
-- from its due time to its response, or from its send if wrk's 1 ms timer sent it early, so a request
-- held back because its connection was still busy counts the wait (no coordinated omission). Only
-- requests due from WRK_SKIP_SECS (default 1) to half a second before WRK_SECS (the -d value) count,
-- so neither the connects nor the requests cut off by the end are in the figures. Prints one JSON line.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } upki_timespec;
  int clock_gettime(int clock, upki_timespec *ts);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("upki_timespec")
local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

-- per-thread state (each wrk thread has its own Lua state)
local interval_us, first_due, skip_until, count_until, next_due, due, sent_at, request_bytes
lat = {}       -- microseconds, counted requests only
sent = 0       -- counted requests sent
answered = 0   -- counted requests answered
not_ok = 0     -- counted answers outside 2xx
late = 0       -- counted requests sent more than 1 ms after their due time
max_lag_us = 0

function init(args)
  local rate = tonumber(os.getenv("WRK_RATE") or "")
  local n = tonumber(os.getenv("WRK_THREADS_N") or "")
  assert(rate and rate > 0 and n and n > 0, "paced.lua needs WRK_RATE and WRK_THREADS_N (= -t = -c)")
  interval_us = 1e6 * n / rate
  local start = now_us()
  -- threads start at evenly spread phases, so the connections do not send in bursts
  first_due = start + (id - 1) / n * interval_us
  next_due = first_due
  skip_until = start + 1e6 * tonumber(os.getenv("WRK_SKIP_SECS") or "1")
  local secs = tonumber(os.getenv("WRK_SECS") or "")
  assert(secs, "paced.lua needs WRK_SECS (the -d value in seconds)")
  count_until = start + 1e6 * (secs - 0.5)
  request_bytes = wrk.format()
end

local function counted(t)
  return t >= skip_until and t < count_until
end

function delay()
  due = next_due
  next_due = next_due + interval_us
  local wait_ms = (due - now_us()) / 1000
  if wait_ms <= 0 then
    return 0
  end
  return math.floor(wait_ms)
end

function request()
  sent_at = now_us()
  if due == nil then
    due = sent_at -- wrk sends a connection's first request without asking delay()
  end
  if counted(due) then
    sent = sent + 1
    local lag = sent_at - due
    if lag > 1000 then
      late = late + 1
    end
    if lag > max_lag_us then
      max_lag_us = lag
    end
  end
  return request_bytes
end

function response(status, headers, body)
  if not counted(due) then
    return
  end
  local start = sent_at < due and sent_at or due
  lat[#lat + 1] = now_us() - start
  answered = answered + 1
  if status < 200 or status > 299 then
    not_ok = not_ok + 1
  end
end

local function percentile(sorted, p)
  if #sorted == 0 then
    return 0
  end
  local i = math.ceil(p / 100 * #sorted)
  if i < 1 then i = 1 end
  if i > #sorted then i = #sorted end
  return sorted[i]
end

function done(summary, latency, requests)
  local all, total_sent, total_answered, total_not_ok, total_late, max_lag = {}, 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    for _, v in ipairs(t:get("lat")) do
      all[#all + 1] = v
    end
    total_sent = total_sent + t:get("sent")
    total_answered = total_answered + t:get("answered")
    total_not_ok = total_not_ok + t:get("not_ok")
    total_late = total_late + t:get("late")
    max_lag = math.max(max_lag, t:get("max_lag_us"))
  end
  table.sort(all)
  local sum = 0
  for _, v in ipairs(all) do
    sum = sum + v
  end
  local skip = tonumber(os.getenv("WRK_SKIP_SECS") or "1")
  local measured_s = tonumber(os.getenv("WRK_SECS")) - 0.5 - skip
  io.write(string.format(
    '{"kind":"wrk","open_loop":true,"label":"%s","requests":%d,"seconds":%.3f,"rps":%.1f,' ..
    '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,"errors_timeout":%d,' ..
    '"target_rate":%.1f,"connections":%d,"sent":%d,"answered":%d,"achieved_rate":%.1f,"ok":%d,"not_ok":%d,' ..
    '"missing":%d,"sender_late_over_1ms":%d,"sender_max_lag_ms":%.3f,' ..
    '"mean_ms":%.3f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"p999_ms":%.3f,"max_ms":%.3f}\n',
    os.getenv("WRK_LABEL") or "paced", summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    tonumber(os.getenv("WRK_RATE")), #threads, total_sent, total_answered, total_answered / measured_s,
    total_answered - total_not_ok, total_not_ok, total_sent - total_answered, total_late, max_lag / 1000,
    (#all > 0 and sum / #all or 0) / 1000, percentile(all, 50) / 1000, percentile(all, 90) / 1000,
    percentile(all, 99) / 1000, percentile(all, 99.9) / 1000, percentile(all, 100) / 1000))
end
