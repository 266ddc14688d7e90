"""``narrate serve``: the same pipeline in a local web page, for people who do not open terminals.

Needs the optional dependencies ``pip install 'narrate[web]'`` (Starlette, uvicorn).  See docs/web.md.
"""

from .app import create_app
from .server import serve

__all__ = ["create_app", "serve"]
