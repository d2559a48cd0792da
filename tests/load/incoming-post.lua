-- wrk script: POST a small JSON message to an incoming webhook.
-- wrk -t2 -c64 -d30s --latency -s tests/load/incoming-post.lua http://127.0.0.1:5080/hooks/ID/TOKEN
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text":"load test message","alias":"wrk","attachments":[{"title":"build","text":"ok","color":"#36a64f"}]}'

done = function(summary, latency, requests)
  -- Any non-2xx answer (429 from a forgotten rate limit, 400, 404) makes the figures meaningless.
  io.write(string.format("requests: %d, non-2xx/3xx: %d, socket errors: connect %d read %d write %d timeout %d\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
end
