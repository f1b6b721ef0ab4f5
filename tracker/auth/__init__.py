"""Users, sign-in, roles and the authorization policy."""
