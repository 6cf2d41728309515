"""Persistence on aiosqlite: the connection and migrations, one repository per aggregate, FSM storage."""
