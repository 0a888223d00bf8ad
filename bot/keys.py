"""Typed keys of what the aiohttp application holds, shared by the app and the surfaces."""

from aiohttp import web
from prometheus_client import CollectorRegistry
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from skills.core.context import Services

SETTINGS_KEY = web.AppKey("settings", Settings)
SERVICES_KEY = web.AppKey("services", Services)
ENGINE_KEY = web.AppKey("engine", AsyncEngine)
REGISTRY_KEY = web.AppKey("registry", CollectorRegistry)
