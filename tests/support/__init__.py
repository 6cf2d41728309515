"""Test tooling: a recording Bot API session and people who talk to the bot through it."""
