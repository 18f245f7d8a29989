"""Supervision cases for the tests, made through the services as a person would."""

from datetime import date

from app.clock import frozen, local_moment
from app.supervision import services
from tests.cases.helpers import unit, user


def register(by: str = "sara", *, on: date = date(2026, 3, 2), units=("HVB Solrosen",), origin="initiative",
             subject="activity", links=(), **fields):
    """A supervision case registered on `on` (the letter's date) by `by`."""
    data = services.Registration(authority="ivo", authority_reference="3.5.1-01234/2026", letter_on=on,
                                 subject=subject, summary="Inspektion av HVB Solrosen",
                                 unit_ids=[unit(name).id for name in units], origin=origin,
                                 linked_references=list(links), board_reference="SN 2026/17")
    for name, value in fields.items():
        setattr(data, name, value)
    with frozen(local_moment(on, 10)):
        return services.register(user(by), data)


def at(day: date, hour: int = 10):
    return frozen(local_moment(day, hour))
