"""A database for the views' tests: demo responses of every koploper, and some of Tilburg's made
real web responses, to tell channels and demo apart."""

from __future__ import annotations

from sqlalchemy import select

from db.demo import seed_demo
from db.engine import get_sessionmaker
from db.models import Koploper, Response
from db.setup import init_database


def seed_with_real_tilburg(url: str, sizes: tuple[int, int], first: int, every: int = 1) -> str:
    """``url`` set up with demo responses (``sizes``: per koploper and wave, as ``seed_demo``);
    of Tilburg's ``first`` responses every ``every``-th made a real (not demo) web response."""
    init_database(url)
    with get_sessionmaker(url).begin() as session:
        seed_demo(session, sizes=sizes)
        tilburg = session.scalars(
            select(Response)
            .join(Koploper)
            .where(Koploper.slug == "tilburg")
            .order_by(Response.id)
            .limit(first)
        ).all()
        for response in tilburg[::every]:
            response.is_demo = False
            response.channel = "web"
    return url
