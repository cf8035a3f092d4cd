"""Benchmarks: scripts that print ratios against baselines measured in the same run.

    python benchmarks/run.py [--quick] [--only NAME]

- latency.py          the request mix in-process: ours vs the textbook peer (p50, p99)
- cold_start.py       a fresh process answering one launch: ours vs the peer and the bare skill
- http_throughput.py  gunicorn + Flask: ours vs the peer's Flask app (wrk if installed)

peer_skill.py is the textbook peer (SkillBuilder, DefaultSerializer, a SQLAlchemy ORM session
per request), bare_skill.py the hello-world skill, http_server.py the two servers,
workload.py the requests and the seeding, common.py the rest. SQLite only.
"""
