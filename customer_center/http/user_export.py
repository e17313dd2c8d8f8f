"""GET /export/users.csv: the company's users for holders of users.manage."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from sqlmodel import Session

from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.http.exports import csv_download_route
from customer_center.services.people.user_export import iter_users_csv


def users_csv(session: Session, actor: CustomerUser, _params: Mapping[str, str]) -> Iterator[str]:
    return iter_users_csv(session, actor)


routes = [csv_download_route("/export/users.csv", Permission.USERS_MANAGE, users_csv)]
