"""Persistence: the request path's database, unit of work and repository; models and migrations."""
