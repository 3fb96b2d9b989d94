"""The monitoring council: members and roles, and rulings on verified incidents."""
