"""Alerts: subscriptions to changes, detection by snapshots, and delivery through an outbox."""
