"""Persistence on aiosqlite: connection and migrations, a repository per aggregate, FSM storage."""
