"""Users, roles, permissions, login and lockout."""
