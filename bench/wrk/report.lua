-- wrk script: prints one JSON line with the run's figures (label from WRK_LABEL).
-- Used alone for a fixed request (headers given with -H), and included by rotate-certs.lua.
-- (a global, not a return value: wrk reads its own table from the top of the Lua stack after loading)
function upki_json_line(summary, latency)
  local e = summary.errors
  local secs = summary.duration / 1e6
  return string.format(
    '{"kind":"wrk","label":"%s","requests":%d,"seconds":%.3f,"rps":%.1f,"bytes":%d,' ..
    '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,"errors_timeout":%d,' ..
    '"lat_mean_ms":%.3f,"lat_stdev_ms":%.3f,"lat_max_ms":%.3f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"p999_ms":%.3f}',
    os.getenv("WRK_LABEL") or "wrk", summary.requests, secs, summary.requests / secs, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean / 1000, latency.stdev / 1000, latency.max / 1000,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000)
end

done = function(summary, latency, requests)
  io.write(upki_json_line(summary, latency) .. "\n")
end

