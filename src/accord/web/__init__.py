"""The web app: REST API under /api/v1 and a server-rendered UI, with users and roles."""
