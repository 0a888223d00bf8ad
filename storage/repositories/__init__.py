"""Repositories: every query takes the tenant id; none reads across tenants."""
