"""Benchmarks: scripts that print ratios against a baseline measured in the same run.

    python benchmarks/run.py [--quick] [--only NAME] [--postgres URL | --no-postgres]

- latency.py          the request mix through lambda/handler.py vs a bare ask-sdk-core skill
- history.py          1 day vs 3 years of logs; 10 thousand vs 1 million users
- statements.py       SQL statements per request, every intent (exits 3 above the target)
- cold_start.py       a fresh process answering one launch, vs the bare skill
- http_throughput.py  gunicorn + Flask + verification vs a bare Flask app (wrk if installed)

bare_skill.py is the baseline skill, http_server.py the two servers, workload.py the
requests and the seeding, pki.py the throwaway certificate chain, common.py the rest.
PostgreSQL parts run on a throwaway schema of --postgres (default $COACH_TEST_POSTGRES_URL).
"""
