-- wrk reporter for berthbench: one machine-readable line from wrk's own latency histogram
-- (the same histogram `--latency` prints; that has no p95, this has). Times in microseconds.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BERTHBENCH {"requests":%.0f,"duration_us":%.0f,"p50_us":%.0f,"p95_us":%.0f,"p99_us":%.0f,' ..
    '"mean_us":%.1f,"max_us":%.0f,"connect":%.0f,"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.mean, latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
