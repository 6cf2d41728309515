"""Sferum onboarding bot: composition root and domain services."""
