"""The dashboard's pages, one script each (registered by ui/registry.py; drawn with ui/context.py's Context)."""
